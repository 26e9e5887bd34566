import { randomUUID } from 'node:crypto'
import type { AiConversation, AiMessage } from '../../shared/ai/conversation'
import { MAX_CONVERSATIONS_PER_LESSON, MAX_MESSAGE_CHARS, MAX_MESSAGES_PER_CONVERSATION } from '../../shared/ai/limits'
import type { Role } from '../../shared/lesson/lesson'
import type { AiLessonRecord } from './store'

export interface Owner {
  role: Role
  name: string
}

/**
 * Conversations belong to a role, not to a token: a one-to-one lesson has one
 * student, and a student who rejoins (new token) keeps their conversation.
 */
export function currentConversation(record: AiLessonRecord, owner: Owner): AiConversation | null {
  for (let i = record.conversations.length - 1; i >= 0; i--) {
    const conversation = record.conversations[i]
    if (conversation?.owner.role === owner.role) return conversation
  }
  return null
}

export function startConversation(record: AiLessonRecord, owner: Owner, now: number): AiConversation {
  const conversation: AiConversation = {
    id: randomUUID(),
    createdAt: now,
    owner: { id: owner.role, role: owner.role, name: owner.name.slice(0, 40) },
    revealRequests: 0,
    messages: [],
  }
  record.conversations.push(conversation)
  // The oldest conversation goes; the new one and the other role's current one stay.
  while (record.conversations.length > MAX_CONVERSATIONS_PER_LESSON) record.conversations.shift()
  return conversation
}

export function conversationFor(record: AiLessonRecord, owner: Owner, now: number): AiConversation {
  return currentConversation(record, owner) ?? startConversation(record, owner, now)
}

export function pushMessage(conversation: AiConversation, message: Omit<AiMessage, 'id'> & { id?: string }): AiMessage {
  const stored: AiMessage = { ...message, id: message.id ?? randomUUID(), text: message.text.slice(0, MAX_MESSAGE_CHARS) }
  conversation.messages.push(stored)
  while (conversation.messages.length > MAX_MESSAGES_PER_CONVERSATION) conversation.messages.shift()
  return stored
}

/** The last user message (what "retry" asks again), and any answer after it. */
export function lastExchange(conversation: AiConversation): { question: AiMessage | null; answer: AiMessage | null } {
  for (let i = conversation.messages.length - 1; i >= 0; i--) {
    const message = conversation.messages[i]
    if (message?.role === 'user') {
      const answer = conversation.messages[i + 1]
      return { question: message, answer: answer?.role === 'assistant' ? answer : null }
    }
  }
  return { question: null, answer: null }
}
