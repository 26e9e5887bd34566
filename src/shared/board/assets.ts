import { z } from 'zod'
import { AssetIdSchema } from './schema'

/**
 * Course material (PDFs, images) is uploaded once over HTTP to the session
 * server and stored by its SHA-256; pages in the board document refer to it
 * by that id. This keeps the Yjs document small (a 20 MB PDF would otherwise
 * travel inside every sync) and lets both sides cache the bytes forever.
 */

export const ASSET_MIMES = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const
export type AssetMime = (typeof ASSET_MIMES)[number]
export type AssetKind = 'pdf' | 'image'

export interface SniffedAsset {
  mime: AssetMime
  kind: AssetKind
  ext: string
}

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean => sig.every((b, i) => bytes[at + i] === b)
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0))

/** What a file really is, from its first bytes (never from its name or declared type). */
export function sniffAsset(bytes: Uint8Array): SniffedAsset | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', kind: 'image', ext: 'png' }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', kind: 'image', ext: 'jpg' }
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return { mime: 'image/gif', kind: 'image', ext: 'gif' }
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return { mime: 'image/webp', kind: 'image', ext: 'webp' }
  // The PDF header may follow up to 1 KB of junk (the spec allows it).
  const head = bytes.subarray(0, 1024)
  const sig = ascii('%PDF-')
  for (let i = 0; i + sig.length <= head.length; i++) if (startsWith(head, sig, i)) return { mime: 'application/pdf', kind: 'pdf', ext: 'pdf' }
  return null
}

/** POST here with the raw file as the body and `Authorization: Bearer <lesson token>`. */
export const assetUploadPath = (lessonId: string): string => `/api/board/${encodeURIComponent(lessonId)}/assets`
/** GET here (same header) for the bytes of one asset. */
export const assetPath = (lessonId: string, id: string): string => `${assetUploadPath(lessonId)}/${id}`

export const AssetUploadResponseSchema = z.object({
  id: AssetIdSchema,
  mime: z.enum(ASSET_MIMES),
  bytes: z.number().int().nonnegative(),
})
export type AssetUploadResponse = z.infer<typeof AssetUploadResponseSchema>
