import type { AiMode } from '../../shared/ai/conversation'
import type { AiLessonSettings, AiProviderInfo } from '../../shared/ai/schema'
import type { Role } from '../../shared/lesson/lesson'
import type { AiPrincipal } from './auth'
import type { AiConfig } from '../../shared/ai/config'
import type { OllamaDetector } from './ollama'
import type { ProviderTarget } from '../../node/ai/proxy'
import type { AiLessonRecord } from './store'

/**
 * The model a lesson uses: the server config's endpoint when one is set (a
 * school's choice wins), else a local Ollama model the tutor picked for this
 * lesson, else none (the panel then offers the offline solver).
 */
export function providerFor(config: AiConfig, record: AiLessonRecord, ollama: OllamaDetector): ProviderTarget | null {
  if (config.baseUrl !== undefined && config.model !== undefined) {
    return { baseUrl: config.baseUrl, apiKey: config.apiKey, model: config.model, vision: config.vision }
  }
  const base = ollama.chatBaseUrl
  if (record.ollama && base) return { baseUrl: base, model: record.ollama.model, vision: record.ollama.vision }
  return null
}

/** What clients may know about the provider: never the URL or the key. */
export function publicProvider(config: AiConfig, target: ProviderTarget | null): AiProviderInfo | null {
  if (!target) return null
  return { source: config.baseUrl !== undefined ? 'config' : 'ollama', model: target.model, vision: target.vision }
}

export function lessonSettings(config: AiConfig, record: AiLessonRecord): AiLessonSettings {
  return {
    studentMode: config.lockMode ? config.studentMode : (record.studentMode ?? config.studentMode),
    modeLocked: config.lockMode,
  }
}

/** Tutors always get direct answers; students get the lesson's student mode. */
export function modeFor(role: Role, settings: AiLessonSettings): AiMode {
  return role === 'tutor' ? 'direct' : settings.studentMode
}

/**
 * Outside lessons the person chooses their own mode (kept in their record).
 * A student starts with the server's studentMode and cannot leave it under a
 * lock; a tutor starts with direct answers and may try hint-first to see what
 * students get.
 */
export function practiceSettings(config: AiConfig, record: AiLessonRecord, role: Role): AiLessonSettings {
  if (role === 'student' && config.lockMode) return { studentMode: config.studentMode, modeLocked: true }
  return { studentMode: record.studentMode ?? (role === 'student' ? config.studentMode : 'direct'), modeLocked: false }
}

/** The settings the caller sees, and the mode their answers use. */
export function settingsOf(config: AiConfig, record: AiLessonRecord, who: AiPrincipal): { settings: AiLessonSettings; mode: AiMode } {
  if (who.scope === 'practice') {
    const settings = practiceSettings(config, record, who.role)
    return { settings, mode: settings.studentMode }
  }
  const settings = lessonSettings(config, record)
  return { settings, mode: modeFor(who.role, settings) }
}

/**
 * The role whose system prompt is used: a tutor practising hint-first gets
 * the student's Socratic prompt (that is what they chose to see).
 */
export function promptRole(who: AiPrincipal, mode: AiMode): Role {
  return who.scope === 'practice' && mode === 'hint-first' ? 'student' : who.role
}
