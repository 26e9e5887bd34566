import { useI18n } from 'vue-i18n'
import { ApiRequestError } from '../../lesson/ApiRequestError'

/**
 * One error code in the user's language: a feature's own phrasing
 * (`<feature>.errors.<code>`, e.g. the AI panel's) where it has one, else the
 * shared table (`errors.<code>`) that every code of src/shared/errors.ts has.
 */
export function useCodeText(feature?: string) {
  const { t, te } = useI18n()
  return (code: string): string => (feature && te(`${feature}.errors.${code}`) ? t(`${feature}.errors.${code}`) : t(`errors.${code}`))
}

/** Turns any error from the API into one sentence in the user's language. */
export function useErrorText() {
  const { t, te } = useI18n()
  return (error: unknown): string => {
    if (error instanceof ApiRequestError) {
      if (error.code === 'network') return t('errors.network', { server: error.server })
      if (error.code !== 'unexpected' && te(`errors.${error.code}`)) return t(`errors.${error.code}`)
      return t('errors.unexpected', { message: error.message })
    }
    return t('errors.unexpected', { message: error instanceof Error ? error.message : String(error) })
  }
}
