import type { AiAction } from '../../shared/ai/conversation'
import { LessonAiResponseSchema, aiQuestionMarkers, lessonAiMarkdown, type LessonAiResponse } from '../../shared/recording/lessonAi'
import { i18n } from '../i18n'
import type { LessonPass } from '../lesson/LessonPass'
import { formatDateTime } from '../ui/format'
import type { LessonFileSource } from './lessonFiles'

/** The lesson's AI conversations, both people's, from the session server (tutor's token); validated. */
export async function fetchLessonAi(pass: LessonPass): Promise<LessonAiResponse> {
  const response = await fetch(new URL(`/api/library/${encodeURIComponent(pass.lessonId)}/ai`, pass.server), {
    headers: { Authorization: `Bearer ${pass.token}` },
    signal: AbortSignal.timeout(15_000),
  })
  if (!response.ok) throw new Error(`AI conversation: HTTP ${response.status}`)
  const parsed = LessonAiResponseSchema.safeParse(await response.json())
  if (!parsed.success) throw new Error('The server sent an AI conversation Duet does not understand')
  return parsed.data
}

const ACTION_KEYS: Partial<Record<AiAction, string>> = { simpler: 'ai.actionLabelSimpler', practice: 'ai.actionLabelPractice', reveal: 'ai.actionLabelReveal' }

/** ai.md for the lesson record, in the tutor's language, with a marker for every question asked. */
export function lessonAiSource(pass: LessonPass): LessonFileSource {
  return async () => {
    const { conversations } = await fetchLessonAi(pass)
    const { t, locale } = i18n.global
    const markdown = lessonAiMarkdown(conversations, {
      title: (name, role) => `${t('ai.exportTitle')} · ${name || t(role === 'tutor' ? 'common.tutor' : 'common.student')}`,
      when: (at) => t('ai.exportWhen', { tutor: pass.tutorName, date: formatDateTime(at, locale.value) }),
      action: (action) => (ACTION_KEYS[action] ? t(ACTION_KEYS[action]) : null),
      assistant: t('ai.assistant'),
      attempt: t('ai.exportAttempt'),
      image: t('ai.exportImage'),
      stopped: t('ai.exportStopped'),
      error: t('ai.exportError'),
    })
    if (!markdown) return null
    return {
      version: markdown,
      make: async () => ({ data: new TextEncoder().encode(markdown), markers: aiQuestionMarkers(conversations) }),
    }
  }
}
