import { z } from 'zod'
import { ErrorCodeSchema } from '../errors'
import { DisplayNameSchema, ParticipantSchema } from '../lesson/lesson'
import { ChatClientMessages, ChatServerMessages } from './schema'

/**
 * Threads between lessons: one conversation per student and their tutor,
 * named after the student record, on its own WebSocket. After `hello` (the
 * student's personal code or the tutor's key) it speaks the lesson chat's
 * `chat-*` messages, each naming its thread, since a tutor follows all of
 * their students' threads on one socket.
 */

/** WebSocket path of the threads. */
export const THREAD_WS_PATH = '/ws/threads'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
export const ThreadIdSchema = z.string().regex(/^thread-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)

/** The thread of a student record. */
export const threadIdOf = (studentId: string): string => `thread-${studentId}`
/** The student record a thread belongs to, or null if it is not a thread's id. */
export function studentOfThread(thread: string): string | null {
  const id = thread.startsWith('thread-') ? thread.slice('thread-'.length) : ''
  return UUID.test(id) ? id : null
}

/** Who reads a thread: the student, their tutor, or a school's staff (read only, where the server allows it). */
export const ThreadRoleSchema = z.enum(['student', 'tutor', 'staff'])
export type ThreadRole = z.infer<typeof ThreadRoleSchema>

/** One thread as its reader's lists show it. */
export const ThreadSummarySchema = z.object({
  thread: ThreadIdSchema,
  studentId: z.uuid(),
  studentName: DisplayNameSchema,
  tutorName: DisplayNameSchema,
  /** The other person's messages this reader has not read. */
  unread: z.number().int().nonnegative(),
  /** When the newest message was written (null: nobody has written yet). */
  lastAt: z.number().int().nonnegative().nullable(),
})
export type ThreadSummary = z.infer<typeof ThreadSummarySchema>

/** GET /api/threads: the asker's threads (a student: their one; a tutor: those of their roster that have messages). */
export const ThreadsResponseSchema = z.object({ role: ThreadRoleSchema, threads: z.array(ThreadSummarySchema).max(100_000) })
export type ThreadsResponse = z.infer<typeof ThreadsResponseSchema>

const withThread = { thread: ThreadIdSchema }
const [chatSend, chatTyping, chatRead] = ChatClientMessages
const [chatHistory, chatMessage, chatTypingOut, chatRefused] = ChatServerMessages

export const ThreadClientMessageSchema = z.discriminatedUnion('type', [
  /** First, and only once: a student's personal code or a tutor's (or staff member's) key. */
  z.object({ type: z.literal('hello'), token: z.string().min(1).max(512) }),
  /** Follow a thread: its history comes back as chat-history frames, then its typing signals. */
  z.object({ type: z.literal('thread-open'), ...withThread }),
  z.object({ type: z.literal('ping'), t: z.number() }),
  chatSend.extend(withThread),
  chatTyping.extend(withThread),
  chatRead.extend(withThread),
])
export type ThreadClientMessage = z.infer<typeof ThreadClientMessageSchema>

export const ThreadServerMessageSchema = z.discriminatedUnion('type', [
  /** After hello: who this is, and their threads with unread counts. */
  z.object({ type: z.literal('thread-welcome'), self: ParticipantSchema, role: ThreadRoleSchema, threads: z.array(ThreadSummarySchema).max(100_000) }),
  z.object({ type: z.literal('pong'), t: z.number() }),
  z.object({ type: z.literal('error'), code: ErrorCodeSchema, message: z.string().max(500), fatal: z.boolean() }),
  chatHistory.extend(withThread),
  chatMessage.extend(withThread),
  chatTypingOut.extend(withThread),
  chatRefused.extend(withThread),
  /** This person read the thread up to `readSeq` on another of their devices; `unread` is what is left. */
  z.object({ type: z.literal('chat-read'), ...withThread, readSeq: z.number().int().nonnegative(), unread: z.number().int().nonnegative() }),
])
export type ThreadServerMessage = z.infer<typeof ThreadServerMessageSchema>

/** Files of a thread: POST the raw bytes here (the personal code or tutor key as bearer, `X-File-Name`), GET `…/<sha256>`. */
export const threadFileUploadPath = (studentId: string): string => `/api/threads/${encodeURIComponent(studentId)}/files`
