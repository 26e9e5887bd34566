import { computed, onBeforeUnmount, ref, type Ref } from 'vue'
import { formatDuration } from '../../ui/format'

/** Elapsed lesson time since `startedAt` (epoch ms), ticking every second. */
export function useLessonClock(startedAt: Ref<number | null>) {
  const now = ref(Date.now())
  const timer = setInterval(() => (now.value = Date.now()), 1000)
  onBeforeUnmount(() => clearInterval(timer))
  return computed(() => (startedAt.value === null ? null : formatDuration(now.value - startedAt.value)))
}
