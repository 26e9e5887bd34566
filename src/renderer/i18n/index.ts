import { createI18n } from 'vue-i18n'
import en from './en'
import zhCN from './zh-CN'
import type { Locale } from '../../shared/settings'

/** The OS / browser language, mapped onto the languages Duet speaks. */
export function detectLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const lower = lang.toLowerCase()
    if (lower.startsWith('zh')) return 'zh-CN'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}

export function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]
}

export const i18n = createI18n({
  legacy: false,
  locale: detectLocale(browserLanguages()),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
})

export function applyLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}

/** Each language by its own name, as language pickers show them. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', 'zh-CN': '简体中文' }
