import { z } from 'zod'
import { StudentCodeSchema } from '../../shared/students/link'
import { readStoredList, writeStoredList } from '../ui/storedList'

/**
 * The personal links this device keeps (a student's own app or browser):
 * the server and the code, with the names to show on the home screen
 * ("My lessons with Ms Li"). Kept in localStorage, so it lasts; read back
 * through the schema, so a damaged entry is dropped, not trusted.
 */
const KEY = 'duet.myCodes'
const MAX_KEPT = 10

export const KeptCodeSchema = z.object({
  server: z.string().url(),
  code: StudentCodeSchema,
  tutorName: z.string().max(40),
  studentName: z.string().max(40),
  /** The student's record id: what else of theirs this device keeps is found by it (links kept by older versions lack it). */
  studentId: z.string().max(100).optional(),
})
export type KeptCode = z.infer<typeof KeptCodeSchema>

export function keptCodes(storage: Storage = localStorage): KeptCode[] {
  return readStoredList(storage, KEY, KeptCodeSchema)
}

/** Keeps (or refreshes) a code; the newest comes first. */
export function keepCode(entry: KeptCode, storage: Storage = localStorage): void {
  const rest = keptCodes(storage).filter((kept) => kept.code !== entry.code)
  writeStoredList(storage, KEY, [entry, ...rest].slice(0, MAX_KEPT))
}

/** The code this device keeps for a server, if any (a one-off invite or practice there counts for that student). */
export function codeFor(server: string, storage: Storage = localStorage): string | undefined {
  const origin = new URL(server).origin
  return keptCodes(storage).find((kept) => new URL(kept.server).origin === origin)?.code
}

/** Forgets a code on this device (the student's "Remove from this device"); returns what was kept for it, if anything. */
export function forgetCode(code: string, storage: Storage = localStorage): KeptCode | undefined {
  const all = keptCodes(storage)
  writeStoredList(storage, KEY, all.filter((kept) => kept.code !== code))
  return all.find((kept) => kept.code === code)
}
