import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { DEFAULT_SETTINGS, type Locale, type Settings, type SettingsPatch } from '../../../shared/settings'
import { useHost } from '../../host/current'
import { applyLocale, browserLanguages, detectLocale } from '../../i18n'

/** How the main process says no to a setting the school's policy locks (SettingLockedError). */
const LOCKED = /set by your school/

/** The user's remembered choices (language, name, devices), kept by the host; a school's policy may set some. */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>(structuredClone(DEFAULT_SETTINGS))
  const loaded = ref(false)
  /** The last change the host refused because the school locks it (the window shows why). */
  const refused = ref<string | null>(null)
  const locale = computed<Locale>(() => settings.value.locale ?? detectLocale(browserLanguages()))
  let listening = false

  async function load(): Promise<void> {
    try {
      settings.value = await useHost().settings.get()
    } catch (error) {
      console.warn('[duet] settings could not be read, using defaults', error)
    }
    loaded.value = true
    applyLocale(locale.value)
    if (!listening) {
      listening = true
      // A school's policy changed what is in effect (a language it now sets, a server it pins).
      useHost().settings.onChange((next) => {
        settings.value = next
        applyLocale(locale.value)
      })
    }
  }

  async function update(patch: SettingsPatch): Promise<void> {
    // Optimistic: the UI follows at once; the host's answer is the truth.
    const before = settings.value
    settings.value = { ...settings.value, ...patch }
    refused.value = null
    applyLocale(locale.value)
    try {
      settings.value = await useHost().settings.update(patch)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if (LOCKED.test(message)) {
        // Locked by the school: nothing changed, and the UI must not pretend it did.
        settings.value = before
        refused.value = message.replace(/^Error invoking remote method '[^']+': (\w+Error: )?/, '')
      } else {
        console.warn('[duet] settings could not be saved', error)
      }
    }
    applyLocale(locale.value)
  }

  return { settings, loaded, locale, refused, load, update, setLocale: (value: Locale) => update({ locale: value }) }
})
