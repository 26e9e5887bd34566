import { defineStore } from 'pinia'
import { shallowRef } from 'vue'

/** What the "Ask AI" page starts from when opened on something (a homework item): its server, the question, the student's own work. */
export interface PracticeTopic {
  /** The session server the item came from (a student's personal link may name another than this app's). */
  server: string
  question: string
  attempt: string
}

/**
 * The topic handed from the screen that opened "Ask AI" to the page: the
 * page takes the server, the composer takes the words (once, so a later
 * visit starts empty).
 */
export const usePracticeTopicStore = defineStore('practiceTopic', () => {
  const topic = shallowRef<PracticeTopic | null>(null)
  return {
    topic,
    set: (next: PracticeTopic) => (topic.value = next),
    take(): PracticeTopic | null {
      const taken = topic.value
      topic.value = null
      return taken
    },
  }
})
