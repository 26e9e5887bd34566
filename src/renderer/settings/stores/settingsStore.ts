import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { DEFAULT_SETTINGS, type Locale, type Settings, type SettingsPatch } from '../../../shared/settings'
import { useHost } from '../../host/current'
import { applyLocale, browserLanguages, detectLocale } from '../../i18n'

/** The user's remembered choices (language, name, devices), kept by the host. */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>(structuredClone(DEFAULT_SETTINGS))
  const loaded = ref(false)
  const locale = computed<Locale>(() => settings.value.locale ?? detectLocale(browserLanguages()))

  async function load(): Promise<void> {
    try {
      settings.value = await useHost().settings.get()
    } catch (error) {
      console.warn('[duet] settings could not be read, using defaults', error)
    }
    loaded.value = true
    applyLocale(locale.value)
  }

  async function update(patch: SettingsPatch): Promise<void> {
    // Optimistic: the UI follows at once; the host's answer is the truth.
    settings.value = { ...settings.value, ...patch }
    applyLocale(locale.value)
    try {
      settings.value = await useHost().settings.update(patch)
    } catch (error) {
      console.warn('[duet] settings could not be saved', error)
    }
    applyLocale(locale.value)
  }

  return { settings, loaded, locale, load, update, setLocale: (value: Locale) => update({ locale: value }) }
})
