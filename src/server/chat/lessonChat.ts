import type { ChatMessage } from '../../shared/chat/schema'
import type { Participant, Role } from '../../shared/lesson/lesson'
import type { ClientMessage, ServerMessage } from '../../shared/lesson/signaling'
import { HttpError } from '../http/respond'
import type { Logger } from '../logger'
import type { ChatConversations, ChatReader } from './conversations'
import { historyFrames } from './history'
import type { ChatLog } from './store'

type ChatClientMessage = Extract<ClientMessage, { type: 'chat-send' | 'chat-read' }>

/** How the lesson socket lets the chat answer: to the asker, and to the other person if they are connected. */
export interface ChatLink {
  reply(message: ServerMessage): void
  toPeer(message: ServerMessage): void
}


/** In a lesson, read marks are per seat (tutor, student), and one's own messages are those of one's role. */
export function lessonReader(role: Role): ChatReader {
  return { key: role, isOwn: (message) => message.from.role === role }
}

/**
 * The chat of a live lesson on the lesson WebSocket: history after every
 * welcome (so someone who was away gets what was written, with an unread
 * count), messages stored before they are relayed, read marks.
 */
export class LessonChat {
  constructor(
    private readonly conversations: ChatConversations,
    private readonly logger: Logger,
  ) {}

  /** Loads the lesson's chat before the person is seated, so no live message can overtake their history. */
  async prepare(lessonId: string): Promise<ChatLog | null> {
    try {
      return await this.conversations.log(lessonId)
    } catch (error) {
      this.logger.error('Could not load a lesson chat', { lessonId, error: String(error) })
      return null
    }
  }

  /** The history frames for someone who just joined (sent right after welcome, synchronously). */
  history(log: ChatLog | null, self: Participant): ServerMessage[] {
    // A lesson nobody has written in yet needs no history (and older clients see nothing new).
    if (!log || log.messages.length === 0) return []
    return historyFrames(log, lessonReader(self.role), this.conversations.unread(log, lessonReader(self.role)))
  }

  async handle(lessonId: string, self: Participant, msg: ChatClientMessage, link: ChatLink): Promise<void> {
    if (msg.type === 'chat-read') {
      await this.conversations.markRead(lessonId, lessonReader(self.role), msg.seq)
      return
    }
    let message: ChatMessage
    try {
      message = await this.conversations.post(lessonId, self, msg.draft)
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      const retry = error.options.retryAfterSeconds
      link.reply({ type: 'chat-refused', clientId: msg.clientId, code: error.code, message: error.message, ...(retry === undefined ? {} : { retryAfterSeconds: retry }) })
      return
    }
    link.reply({ type: 'chat-message', message, clientId: msg.clientId })
    // Someone who is away gets it with their history when they come back.
    link.toPeer({ type: 'chat-message', message })
  }
}
