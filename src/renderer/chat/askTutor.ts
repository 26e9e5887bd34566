import { computed, type ComputedRef } from 'vue'
import { useRouter } from 'vue-router'
import { codeFor } from '../records/myCodes'
import { useChatStore } from './stores/chatStore'
import { useThreadsStore } from './stores/threadsStore'

/**
 * "Ask my tutor about this" under an AI answer. In a lesson the chat opens
 * with the answer quoted; on the practice page (outside lessons) the
 * student's thread with their tutor opens on their "My lessons" page with the
 * answer quoted, where this device keeps their personal code for the server.
 */
export function useAskTutor(where: () => { practice: boolean; server: string | null }): { can: ComputedRef<boolean>; ask(answer: string): void } {
  const chat = useChatStore()
  const threads = useThreadsStore()
  const router = useRouter()
  const code = computed(() => {
    const { practice, server } = where()
    return practice && server ? codeFor(server) : undefined
  })
  return {
    can: computed(() => (where().practice ? code.value !== undefined : chat.attached)),
    ask(answer) {
      const { practice, server } = where()
      if (!practice) return chat.askAboutAiAnswer(answer)
      if (!code.value || !server) return
      threads.askAboutAiAnswer(answer)
      void router.push({ name: 'myLessons', params: { code: code.value }, query: { server } })
    },
  }
}
