import { z } from 'zod'
import { ErrorCodeSchema } from '../errors'
import { ParticipantSchema } from '../lesson/lesson'
import { ChatFileSchema } from './files'
import { MAX_CHAT_MESSAGES, MAX_CHAT_QUOTE_CHARS, MAX_CHAT_TEXT_CHARS } from './limits'

/**
 * The chat beside the lesson: messages are Markdown with maths (rendered
 * inert by the renderer's one Markdown renderer), optionally a file, or a
 * quoted passage (an AI answer someone asks the tutor about). The server
 * numbers them (seq), stores them, then relays them.
 */

const TextSchema = z.string().max(MAX_CHAT_TEXT_CHARS)

/** Where a quote comes from; an AI answer is the one source so far. */
export const ChatQuoteSchema = z.object({
  source: z.literal('ai-answer'),
  text: z.string().min(1).max(MAX_CHAT_QUOTE_CHARS),
})
export type ChatQuote = z.infer<typeof ChatQuoteSchema>

/** What a person sends; the kinds are closed (anything else is refused as a bad message). */
export const ChatDraftSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: TextSchema.refine((t) => t.trim().length > 0, 'empty message'), quote: ChatQuoteSchema.optional() }),
  /** A file uploaded to this conversation first (POST …/files), with an optional caption. */
  z.object({ kind: z.literal('file'), fileId: ChatFileSchema.shape.id, text: TextSchema.default('') }),
])
export type ChatDraft = z.infer<typeof ChatDraftSchema>

/** A message as stored and delivered. */
export const ChatMessageSchema = z.object({
  id: z.uuid(),
  /** 1, 2, 3 … per conversation: the order, and what "read up to" refers to. */
  seq: z.number().int().positive(),
  at: z.number().int().nonnegative(),
  from: ParticipantSchema,
  text: TextSchema,
  file: ChatFileSchema.optional(),
  quote: ChatQuoteSchema.optional(),
})
export type ChatMessage = z.infer<typeof ChatMessageSchema>

/** A client's own id for a message it sends, so the server's answer finds it (the pending bubble). */
export const ClientMessageIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)

/** Chat messages on the lesson WebSocket, client -> server (part of ClientMessageSchema). */
export const ChatClientMessages = [
  z.object({ type: z.literal('chat-send'), clientId: ClientMessageIdSchema, draft: ChatDraftSchema }),
  /** Ephemeral: relayed to the other person if there, never stored. */
  z.object({ type: z.literal('chat-typing'), typing: z.boolean() }),
  /** This person has seen everything up to `seq` (the panel is open). */
  z.object({ type: z.literal('chat-read'), seq: z.number().int().nonnegative() }),
] as const

/** Chat messages on the lesson WebSocket, server -> client (part of ServerMessageSchema). */
export const ChatServerMessages = [
  /**
   * After every welcome: the conversation so far, oldest first, in as many
   * frames as it takes to stay under the socket's frame limit (the first has
   * `reset`), and how many of the other person's messages this one has not read.
   */
  z.object({
    type: z.literal('chat-history'),
    reset: z.boolean(),
    messages: z.array(ChatMessageSchema).max(MAX_CHAT_MESSAGES),
    unread: z.number().int().nonnegative(),
    readSeq: z.number().int().nonnegative(),
  }),
  /** A new message, to both people; the sender's copy names its clientId. */
  z.object({ type: z.literal('chat-message'), message: ChatMessageSchema, clientId: ClientMessageIdSchema.optional() }),
  z.object({ type: z.literal('chat-typing'), from: z.string().max(64), typing: z.boolean() }),
  /** Only to the sender: the message was not stored or sent, and why. */
  z.object({
    type: z.literal('chat-refused'),
    clientId: ClientMessageIdSchema,
    code: ErrorCodeSchema,
    message: z.string().max(500),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  }),
] as const
