import { z } from 'zod'
import { MAX_CHAT_FILE_NAME_CHARS } from './limits'

/**
 * What a chat message may carry: pictures, PDFs and office documents. The
 * server decides what a file is from its bytes (file-type), never from its
 * name or declared type, and refuses anything not listed here.
 */
export const CHAT_FILE_TYPES = {
  'image/png': { kind: 'image', ext: 'png' },
  'image/jpeg': { kind: 'image', ext: 'jpg' },
  'image/gif': { kind: 'image', ext: 'gif' },
  'image/webp': { kind: 'image', ext: 'webp' },
  'application/pdf': { kind: 'pdf', ext: 'pdf' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'document', ext: 'docx' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'document', ext: 'xlsx' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: 'document', ext: 'pptx' },
  'application/vnd.oasis.opendocument.text': { kind: 'document', ext: 'odt' },
  'application/vnd.oasis.opendocument.spreadsheet': { kind: 'document', ext: 'ods' },
  'application/vnd.oasis.opendocument.presentation': { kind: 'document', ext: 'odp' },
  /** Word 97-2003, Excel and PowerPoint files (OLE compound files). */
  'application/x-cfb': { kind: 'document', ext: 'doc' },
} as const satisfies Record<string, { kind: 'image' | 'pdf' | 'document'; ext: string }>

export type ChatFileMime = keyof typeof CHAT_FILE_TYPES
export const CHAT_FILE_MIMES = Object.keys(CHAT_FILE_TYPES) as [ChatFileMime, ...ChatFileMime[]]
export const ChatFileKindSchema = z.enum(['image', 'pdf', 'document'])
export type ChatFileKind = z.infer<typeof ChatFileKindSchema>

/** What the file picker offers (the server still checks the bytes). */
export const CHAT_FILE_ACCEPT = '.png,.jpg,.jpeg,.gif,.webp,.pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt,image/*,application/pdf'

/** A file name as shown: no path, no control characters, at most MAX_CHAT_FILE_NAME_CHARS. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim()
  return clean.slice(0, MAX_CHAT_FILE_NAME_CHARS) || 'file'
}

/** A stored file, as messages refer to it. Its id is the SHA-256 of its bytes. */
export const ChatFileSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string().min(1).max(MAX_CHAT_FILE_NAME_CHARS),
  mime: z.enum(CHAT_FILE_MIMES),
  kind: ChatFileKindSchema,
  bytes: z.number().int().positive(),
})
export type ChatFile = z.infer<typeof ChatFileSchema>

/** POST here with the raw file as the body, `Authorization: Bearer <lesson token>` and `X-File-Name: <encodeURIComponent(name)>`. */
export const chatFileUploadPath = (lessonId: string): string => `/api/chat/${encodeURIComponent(lessonId)}/files`
/** GET here (same header) for the bytes of one file. */
export const chatFilePath = (lessonId: string, id: string): string => `${chatFileUploadPath(lessonId)}/${id}`
export const CHAT_FILE_NAME_HEADER = 'x-file-name'
