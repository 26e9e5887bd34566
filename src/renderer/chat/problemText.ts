import { computed, type ComputedRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { useCodeText } from '../ui/composables/useErrorText'
import type { ChatProblem } from './stores/conversation'

/** Why a message did not go, in words (a rate limit says how long to wait); `offlineText` where "offline" means something else than the lesson. */
export function useProblemText(problem: () => { code: ChatProblem; retryAfterSeconds?: number } | null, offlineText?: () => string): ComputedRef<string> {
  const { t } = useI18n()
  const codeText = useCodeText('chat')
  return computed(() => {
    const p = problem()
    if (!p) return ''
    if (p.code === 'rate_limited' && p.retryAfterSeconds) return t('chat.errors.rateLimitedWait', { seconds: p.retryAfterSeconds })
    return p.code === 'offline' && offlineText ? offlineText() : codeText(p.code)
  })
}
