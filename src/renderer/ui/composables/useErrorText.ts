import { useI18n } from 'vue-i18n'
import { ApiRequestError } from '../../lesson/ApiRequestError'
import { sameServer, ServerNotAllowedError } from '../../lesson/ServerNotAllowedError'
import { usePolicyStore } from '../../settings/stores/policyStore'
import { useSettingsStore } from '../../settings/stores/settingsStore'

/**
 * One error code in the user's language: a feature's own phrasing
 * (`<feature>.errors.<code>`, e.g. the AI panel's) where it has one, else the
 * shared table (`errors.<code>`) that every code of src/shared/errors.ts has.
 */
export function useCodeText(feature?: string) {
  const { t, te } = useI18n()
  return (code: string): string => (feature && te(`${feature}.errors.${code}`) ? t(`${feature}.errors.${code}`) : t(`errors.${code}`))
}

/**
 * Turns any error from the API into one sentence in the user's language.
 * What the school can fix (its server down, an invite for a server it does
 * not allow) says who to ask.
 */
export function useErrorText() {
  const { t, te } = useI18n()
  const policy = usePolicyStore()
  const settings = useSettingsStore()
  const ask = (): string => ` ${policy.policy.adminContact ? t('policy.askContact', { contact: policy.policy.adminContact }) : t('policy.askSchool')}`
  /** The server the school's ServerUrl policy pins (the settings hold its value). */
  const isSchoolServer = (server: string): boolean => {
    const school = settings.settings.serverUrl
    return policy.policy.enforced.includes('ServerUrl') && school !== null && sameServer(server, school)
  }
  return (error: unknown): string => {
    if (error instanceof ServerNotAllowedError) return t('policy.otherServer', { server: error.server, school: error.school }) + ask()
    if (error instanceof ApiRequestError) {
      if (error.code === 'network' && isSchoolServer(error.server)) return t('policy.schoolServerDown', { server: error.server }) + ask()
      if (error.code === 'network') return t('errors.network', { server: error.server })
      if (error.code !== 'unexpected' && te(`errors.${error.code}`)) return t(`errors.${error.code}`)
      return t('errors.unexpected', { message: error.message })
    }
    return t('errors.unexpected', { message: error instanceof Error ? error.message : String(error) })
  }
}
