import { z } from 'zod'
import { RoleSchema } from '../lesson/lesson'
import { LibraryEntrySchema } from './library'

/** Session server routes for browser recordings and the web library. */
export const RECORDINGS_PATH = '/api/recordings'
export const LIBRARY_PATH = '/api/library'

/** POST /api/library/keys (lesson token) → a key to this lesson's record, kept by the browser. */
export const LibraryKeyResponseSchema = z.object({ lessonId: z.string(), role: RoleSchema, key: z.string().max(2048) })
export type LibraryKeyResponse = z.infer<typeof LibraryKeyResponseSchema>

export const MAX_LIBRARY_KEYS = 200

/** POST /api/library/list */
export const LibraryListRequestSchema = z.object({ keys: z.array(z.string().min(1).max(2048)).max(MAX_LIBRARY_KEYS) })
export const LibraryListResponseSchema = z.object({
  entries: z.array(LibraryEntrySchema.extend({ role: RoleSchema })).max(MAX_LIBRARY_KEYS),
  /** Indexes of keys that are no longer valid (expired, other server): the browser forgets them. */
  invalidKeys: z.array(z.number().int().nonnegative()).max(MAX_LIBRARY_KEYS),
})
export type LibraryListResponse = z.infer<typeof LibraryListResponseSchema>

export const LibraryRenameBodySchema = z.object({ title: z.string().trim().min(1).max(120).regex(/^[^\p{Cc}]+$/u) })

/** POST /api/library/:lessonId/watched (library key): seconds of the recording played this time. */
export const LibraryWatchedBodySchema = z.object({ seconds: z.number().min(0).max(24 * 3600) })
