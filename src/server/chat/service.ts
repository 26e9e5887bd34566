import { LessonIdSchema } from '../../shared/recording/library'
import type { Route } from '../http/routes'
import type { LessonAuth } from '../lesson/auth'
import type { LessonRegistry } from '../lesson/registry'
import type { Logger } from '../logger'
import { ChatConversations } from './conversations'
import { lessonChatFileRoutes } from './filesHttp'
import { LessonChat } from './lessonChat'
import { ThreadAccess, type ThreadDirectory } from './threadAccess'
import { threadRoutes } from './threadRoutes'
import { ThreadSockets } from './threadSockets'
import type { Db } from '../db/schema'
import { ChatTable } from './chatTable'
import { FileChatStore, memoryChatStore, type ChatStore } from './store'

export interface ChatServiceOptions {
  registry: LessonRegistry
  auth: LessonAuth
  logger: Logger
  now: () => number
  /** null = chats live in memory only. */
  dataDir: string | null
  /** The server's database: every conversation lives there when there is one. */
  db: Db | null
  /** Another store (tests); default: the database, else by dataDir. */
  store?: ChatStore
  messagesPerMinute?: number
  /** The student records threads between lessons belong to (null: no records, no threads). */
  threads: { directory: ThreadDirectory; staffReadsThreads: boolean; heartbeatMs?: number; helloTimeoutMs?: number } | null
}

export interface ChatService {
  routes: Route[]
  /** What the lesson socket hands chat messages to. */
  lesson: LessonChat
  conversations: ChatConversations
  /** The threads' WebSocket (null: this server keeps no student records). */
  threads: ThreadSockets | null
  close(): Promise<void>
}

const SWEEP_INTERVAL_MS = 60_000

/** The chat: conversations (stored, rate-limited), the lesson socket's part, the threads between lessons, and the file routes. */
export function createChatService(opts: ChatServiceOptions): ChatService {
  const { logger, registry } = opts
  const store = opts.store ?? (opts.db ? new ChatTable(opts.db, logger) : opts.dataDir === null ? memoryChatStore() : new FileChatStore(opts.dataDir, logger))
  const conversations = new ChatConversations({ store, now: opts.now, logger, messagesPerMinute: opts.messagesPerMinute })

  /** Chats of lessons the registry dropped (long after they ended; the tutor's app saved chat.md with the record) go. */
  async function sweep(): Promise<void> {
    try {
      for (const id of await conversations.conversationIds()) {
        // Lesson chats only (threads between lessons are not lessons).
        if (!LessonIdSchema.safeParse(id).success || registry.get(id)) continue
        await conversations.remove(id)
        logger.info('Chat of a dropped lesson removed', { lessonId: id })
      }
    } catch (error) {
      logger.error('Chat sweep failed', { error: String(error) })
    }
  }
  void sweep()
  const sweepTimer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS)
  sweepTimer.unref()

  const access = opts.threads ? new ThreadAccess(opts.threads.directory, opts.threads.staffReadsThreads) : null
  const threads = access && opts.threads ? new ThreadSockets({ access, conversations, logger, now: opts.now, heartbeatMs: opts.threads.heartbeatMs, helloTimeoutMs: opts.threads.helloTimeoutMs }) : null

  return {
    routes: [
      ...lessonChatFileRoutes({ auth: opts.auth, conversations, now: opts.now }),
      ...(access && threads ? threadRoutes({ access, conversations, now: opts.now, summaries: (person) => threads.summaries(person) }) : []),
    ],
    lesson: new LessonChat(conversations, logger),
    conversations,
    threads,
    close: async () => {
      clearInterval(sweepTimer)
      await threads?.close()
      await conversations.close()
    },
  }
}
