import { ref, shallowRef } from 'vue'
import { useErrorText } from '../../ui/composables/useErrorText'

/**
 * Runs what a button asks of the server and says what went wrong in one
 * sentence (`error`); `failure` keeps the error itself for the screens that
 * react to its code. attempt() resolves true when the call went through.
 */
export function useAttempt() {
  const errorText = useErrorText()
  const error = ref('')
  const failure = shallowRef<unknown>(null)

  async function attempt(run: () => Promise<unknown>): Promise<boolean> {
    error.value = ''
    failure.value = null
    try {
      await run()
      return true
    } catch (e) {
      failure.value = e
      error.value = errorText(e)
      return false
    }
  }

  return { error, failure, attempt }
}
