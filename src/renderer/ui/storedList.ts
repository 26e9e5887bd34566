import { z } from 'zod'

/**
 * A list this device keeps in localStorage (personal links, library keys,
 * unsent text). Storage is outside input: another version of the app, an
 * extension or a person may have written anything there, so it is read back
 * entry by entry through the schema and a damaged entry is dropped, not
 * trusted (the rest survive).
 */
export function readStoredList<T>(storage: Pick<Storage, 'getItem'>, key: string, schema: z.ZodType<T>): T[] {
  try {
    const parsed = z.array(z.unknown()).safeParse(JSON.parse(storage.getItem(key) ?? '[]'))
    return parsed.success ? parsed.data.flatMap((entry) => schema.safeParse(entry).data ?? []) : []
  } catch {
    return []
  }
}

/**
 * Writes the list (an empty one removes the key). Storage that refuses
 * (private mode, full) is not an error: what the list holds then lives as
 * long as the page does.
 */
export function writeStoredList(storage: Pick<Storage, 'setItem' | 'removeItem'>, key: string, list: readonly unknown[]): void {
  try {
    if (list.length > 0) storage.setItem(key, JSON.stringify(list))
    else storage.removeItem(key)
  } catch {
    // See above.
  }
}
