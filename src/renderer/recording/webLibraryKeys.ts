import { z } from 'zod'
import { LibraryKeyResponseSchema, MAX_LIBRARY_KEYS } from '../../shared/recording/http'
import { RoleSchema } from '../../shared/lesson/lesson'
import { readStoredList, writeStoredList } from '../ui/storedList'

const STORAGE_KEY = 'duet.libraryKeys'

export const StoredKeySchema = z.object({
  server: z.string().max(2048),
  lessonId: z.string().max(64),
  role: RoleSchema,
  key: z.string().max(2048),
  savedAt: z.number(),
})
export type StoredKey = z.infer<typeof StoredKeySchema>

/** The library keys this browser holds (one per lesson it was in); bad entries are dropped. */
export function loadKeys(storage: Storage = localStorage): StoredKey[] {
  return readStoredList(storage, STORAGE_KEY, StoredKeySchema)
}

/** Keeps the newest MAX_LIBRARY_KEYS (private mode or full storage: the library just shows less). */
export function saveKeys(keys: StoredKey[], storage: Storage = localStorage): void {
  writeStoredList(storage, STORAGE_KEY, keys.slice(-MAX_LIBRARY_KEYS))
}

/**
 * Browser: asks the session server for a long-lived key to this lesson's
 * record and keeps it, so the person can come back to the recording from the
 * library later (lesson tokens expire within hours).
 */
export async function rememberLessonKey(server: string, token: string, storage: Storage = localStorage): Promise<void> {
  const response = await fetch(new URL('/api/library/keys', server), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(10_000),
  })
  if (!response.ok) throw new Error(`library key: HTTP ${response.status}`)
  const body = LibraryKeyResponseSchema.parse(await response.json())
  const others = loadKeys(storage).filter((k) => !(k.server === server && k.lessonId === body.lessonId))
  saveKeys([...others, { server, lessonId: body.lessonId, role: body.role, key: body.key, savedAt: Date.now() }], storage)
}

/** Forgets every key this browser holds in that role (a shared computer's students: KeepStudentLinks off). */
export function forgetKeysOfRole(role: StoredKey['role'], storage: Storage = localStorage): void {
  saveKeys(loadKeys(storage).filter((k) => k.role !== role), storage)
}

/** Forgets keys the server no longer accepts, or of deleted lessons. */
export function forgetKeys(server: string, lessonIds: readonly string[], storage: Storage = localStorage): void {
  saveKeys(loadKeys(storage).filter((k) => !(k.server === server && lessonIds.includes(k.lessonId))), storage)
}
