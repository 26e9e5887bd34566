import { z } from 'zod'
import { AiConversationSchema, conversationToMarkdown, type AiAction, type AiConversation, type MarkdownLabels } from '../ai/conversation'
import { MAX_CONVERSATIONS_PER_LESSON } from '../ai/limits'
import type { Role } from '../lesson/lesson'
import type { LessonMarker } from './library'

/**
 * The lesson's AI conversations as the lesson record keeps them:
 * GET /api/library/<lessonId>/ai (the tutor's lesson token) answers with
 * every conversation of the lesson, both people's, oldest first. The tutor's
 * app turns them into ai.md and AI-question markers.
 */
export const LessonAiResponseSchema = z.object({
  conversations: z.array(AiConversationSchema).max(MAX_CONVERSATIONS_PER_LESSON),
})
export type LessonAiResponse = z.infer<typeof LessonAiResponseSchema>

export const AI_QUESTION_MARKER = 'ai-question'

/** A new question, not a follow-up button ("simpler", "practice", "show me") or a retry of the same question. */
function isQuestion(action: AiAction | undefined): boolean {
  return action === undefined || action === 'ask'
}

/**
 * One marker per question asked of the AI, by either person, at the moment it
 * was asked. The player shows only the ones that fall inside a recording.
 */
export function aiQuestionMarkers(conversations: readonly AiConversation[]): LessonMarker[] {
  const out: LessonMarker[] = []
  for (const conversation of conversations) {
    for (const message of conversation.messages) {
      if (message.role !== 'user' || !isQuestion(message.action) || !Number.isFinite(message.at) || message.at <= 0) continue
      const text = message.text.replace(/\s+/g, ' ').trim()
      const label = conversation.owner.name ? `${conversation.owner.name}: ${text}` : text
      out.push({ at: Math.round(message.at), kind: AI_QUESTION_MARKER, label: label.slice(0, 200) })
    }
  }
  return out.sort((a, b) => a.at - b.at)
}

export interface LessonAiLabels extends Omit<MarkdownLabels, 'title' | 'you'> {
  /** Heading of one person's conversation. */
  title: (name: string, role: Role) => string
  /** The date line under it. */
  when: (at: number) => string
  /** Words on a follow-up button, shown instead of the stored text. */
  action: (action: AiAction) => string | null
}

/**
 * The lesson's AI conversations as one Markdown document (a section per
 * conversation, questions under the asker's name); null when nobody asked
 * anything, so a lesson without AI gets no ai.md.
 */
export function lessonAiMarkdown(conversations: readonly AiConversation[], labels: LessonAiLabels): string | null {
  const sections = conversations
    .filter((c) => c.messages.length > 0)
    .map((c) => {
      const messages = c.messages.map((m) => (m.role === 'user' && m.action && !isQuestion(m.action) ? { ...m, text: labels.action(m.action) ?? m.text } : m))
      const title = labels.title(c.owner.name, c.owner.role)
      return conversationToMarkdown({ messages }, { ...labels, title, you: c.owner.name || title }, labels.when(c.createdAt))
    })
  return sections.length > 0 ? sections.join('\n') : null
}
