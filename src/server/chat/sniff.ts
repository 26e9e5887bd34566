import { fileTypeFromBuffer } from 'file-type'
import { CHAT_FILE_TYPES, type ChatFileKind, type ChatFileMime } from '../../shared/chat/files'

/**
 * What a chat file really is, from its bytes (file-type reads signatures and,
 * for Office and OpenDocument files, the zip's entries), never from its name
 * or the type the browser declared. null when it is none of the kinds a chat
 * may carry: an executable renamed to .pdf, an HTML page, an SVG (scripts).
 */
export async function sniffChatFile(bytes: Uint8Array): Promise<{ mime: ChatFileMime; kind: ChatFileKind } | null> {
  const found = await fileTypeFromBuffer(bytes).catch(() => undefined)
  if (!found || !(found.mime in CHAT_FILE_TYPES)) return null
  const mime = found.mime as ChatFileMime
  return { mime, kind: CHAT_FILE_TYPES[mime].kind }
}
