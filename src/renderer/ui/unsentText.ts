import { z } from 'zod'
import { readStoredList, writeStoredList } from './storedList'

/**
 * What a person was writing and has not sent, per place (`unsentKeys`):
 * closing a side panel to look at the board unmounts its composer, and a
 * reload or a crash of the window loses the page. Kept in localStorage,
 * newest first, read back through the schema (storedList.ts); empty text is
 * forgotten, only the newest MAX_KEPT are kept, and a lesson's go when it
 * ends (nothing written in it can be sent any more, and a shared computer
 * should not keep it).
 */
const KEY = 'duet.unsentText'
const MAX_KEPT = 20
/** The composers let a person write past a message's limit (they say by how much); that is kept too, within reason. */
export const MAX_UNSENT_CHARS = 10_000

// A key holds at most a server address (practice) beside its prefix.
const UnsentSchema = z.object({ key: z.string().min(1).max(2200), text: z.string().min(1).max(MAX_UNSENT_CHARS) })
type Unsent = z.infer<typeof UnsentSchema>

const allUnsent = (storage: Storage): Unsent[] => readStoredList(storage, KEY, UnsentSchema)

/** Where each composer keeps its text (a composer with a second box adds `:<box>`). */
export const unsentKeys = {
  chatLesson: (lessonId: string) => `chat:lesson:${lessonId}`,
  chatThread: (threadId: string) => `chat:thread:${threadId}`,
  aiLesson: (lessonId: string) => `ai:lesson:${lessonId}`,
  aiPractice: (server: string) => `ai:practice:${server}`,
}

/** The unsent text of a conversation ('' if none). */
export function unsentText(key: string, storage: Storage = localStorage): string {
  return allUnsent(storage).find((d) => d.key === key)?.text ?? ''
}

/** Keeps a conversation's unsent text (or forgets it when there is none left). */
export function keepUnsentText(key: string, text: string, storage: Storage = localStorage): void {
  const rest = allUnsent(storage).filter((d) => d.key !== key)
  const kept = text.trim() ? [{ key, text: text.slice(0, MAX_UNSENT_CHARS) }, ...rest].slice(0, MAX_KEPT) : rest
  writeStoredList(storage, KEY, kept)
}

/** Forgets what these places (`unsentKeys`) hold unsent, every box of each. */
export function forgetUnsentText(places: readonly string[], storage: Storage = localStorage): void {
  const rest = allUnsent(storage).filter((u) => !places.some((place) => u.key === place || u.key.startsWith(`${place}:`)))
  writeStoredList(storage, KEY, rest)
}

/** The lesson ended: whatever its chat and AI panel still held unsent on this device is forgotten. */
export function forgetLessonUnsentText(lessonId: string, storage: Storage = localStorage): void {
  forgetUnsentText([unsentKeys.chatLesson(lessonId), unsentKeys.aiLesson(lessonId)], storage)
}
