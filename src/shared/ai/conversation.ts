import { z } from 'zod'
import { RoleSchema } from '../lesson/lesson'
import { ErrorCodeSchema } from '../errors'
import { MAX_ATTEMPT_CHARS, MAX_MESSAGE_CHARS, MAX_MESSAGES_PER_CONVERSATION } from './limits'

export const AiModeSchema = z.enum(['hint-first', 'direct'])
export type AiMode = z.infer<typeof AiModeSchema>

/**
 * What a request asks for: a new question, or a follow-up on the last answer
 * ("explain more simply", "a similar practice problem", "show me the
 * solution"), or the last question again after an error.
 */
export const AiActionSchema = z.enum(['ask', 'simpler', 'practice', 'reveal', 'retry'])
export type AiAction = z.infer<typeof AiActionSchema>

/** How an assistant message ended; user messages are always 'complete'. */
export const AiMessageStatusSchema = z.enum(['complete', 'stopped', 'truncated', 'error', 'cut'])
export type AiMessageStatus = z.infer<typeof AiMessageStatusSchema>

export const AiMessageSchema = z.object({
  id: z.string().min(1).max(64),
  role: z.enum(['user', 'assistant']),
  text: z.string().max(MAX_MESSAGE_CHARS),
  at: z.number(),
  action: AiActionSchema.optional(),
  /** The student's own working sent with a question. */
  attempt: z.string().max(MAX_ATTEMPT_CHARS).optional(),
  /** A picture was attached (not stored: too large and possibly personal). */
  image: z.boolean().optional(),
  status: AiMessageStatusSchema,
  errorCode: ErrorCodeSchema.optional(),
  /** Mode the answer was given in. */
  mode: AiModeSchema.optional(),
})
export type AiMessage = z.infer<typeof AiMessageSchema>

export const AiConversationSchema = z.object({
  id: z.string().min(1).max(64),
  createdAt: z.number(),
  owner: z.object({ id: z.string().min(1).max(64), role: RoleSchema, name: z.string().max(40) }),
  /** "Show me the solution" presses since the last new question (hint-first unlocks at 2). */
  revealRequests: z.number().int().min(0).max(1000),
  messages: z.array(AiMessageSchema).max(MAX_MESSAGES_PER_CONVERSATION),
})
export type AiConversation = z.infer<typeof AiConversationSchema>

/** GET /api/ai/conversation, POST /api/ai/conversation/new */
export const AiConversationResponseSchema = z.object({ conversation: AiConversationSchema.nullable() })
export type AiConversationResponse = z.infer<typeof AiConversationResponseSchema>

export interface MarkdownLabels {
  title: string
  you: string
  assistant: string
  attempt: string
  image: string
  stopped: string
  error: string
}

/** A conversation as a Markdown document (copy / export). Model text is already Markdown. */
export function conversationToMarkdown(conversation: Pick<AiConversation, 'messages'>, labels: MarkdownLabels, when: string): string {
  const parts = [`# ${labels.title}`, '', `_${when}_`, '']
  for (const message of conversation.messages) {
    if (message.role === 'user') {
      parts.push(`## ${labels.you}`, '', quote(message.text))
      if (message.attempt) parts.push('', `**${labels.attempt}:**`, '', quote(message.attempt))
      if (message.image) parts.push('', `_(${labels.image})_`)
    } else {
      parts.push(`### ${labels.assistant}`, '', message.text)
      if (message.status === 'stopped' || message.status === 'cut' || message.status === 'truncated') parts.push('', `_(${labels.stopped})_`)
      if (message.status === 'error') parts.push('', `_(${labels.error})_`)
    }
    parts.push('')
  }
  return parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n'
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n')
}
