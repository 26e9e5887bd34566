import { CHAT_FILE_NAME_HEADER, ChatFileSchema, type ChatFile } from '../../shared/chat/files'
import { MAX_CHAT_FILE_BYTES } from '../../shared/chat/limits'
import { ApiErrorSchema } from '../../shared/errors'
import { ApiRequestError } from '../lesson/ApiRequestError'

/** Where a conversation's files are: the server, the bearer token (a lesson token, a personal code, a tutor key), and the upload path (chatFileUploadPath, threadFileUploadPath). */
export interface ChatFilesTarget {
  server: string
  token: string
  uploadPath: string
}

/**
 * Files of a conversation on the session server (a lesson's chat or a
 * thread): upload (the server judges the bytes), and the bytes back as
 * object URLs for pictures and downloads. Pictures need the token, which an
 * <img src> cannot send, so they are fetched and shown from blob: URLs (the
 * CSP allows those).
 */
export class ChatFiles {
  private readonly urls = new Map<string, Promise<string>>()

  constructor(private readonly pass: ChatFilesTarget) {}

  async upload(file: File): Promise<ChatFile> {
    if (file.size > MAX_CHAT_FILE_BYTES) throw new ApiRequestError('payload_too_large', 'file too large', this.pass.server)
    if (file.size === 0) throw new ApiRequestError('bad_request', 'empty file', this.pass.server)
    let res: Response
    try {
      res = await fetch(new URL(this.pass.uploadPath, this.pass.server), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.pass.token}`,
          'Content-Type': file.type || 'application/octet-stream',
          [CHAT_FILE_NAME_HEADER]: encodeURIComponent(file.name),
        },
        body: file,
      })
    } catch {
      throw new ApiRequestError('network', 'upload failed', this.pass.server)
    }
    const body: unknown = await res.json().catch(() => null)
    if (!res.ok) {
      const error = ApiErrorSchema.safeParse(body)
      throw new ApiRequestError(error.success ? error.data.error.code : 'unexpected', `HTTP ${res.status}`, this.pass.server)
    }
    const parsed = ChatFileSchema.safeParse(body)
    if (!parsed.success) throw new ApiRequestError('unexpected', 'unexpected upload answer', this.pass.server)
    return parsed.data
  }

  /** The file's bytes as a Blob of its checked type. */
  async blob(file: ChatFile): Promise<Blob> {
    const res = await fetch(new URL(`${this.pass.uploadPath}/${file.id}`, this.pass.server), {
      headers: { Authorization: `Bearer ${this.pass.token}` },
    })
    if (!res.ok) throw new ApiRequestError('not_found', `HTTP ${res.status}`, this.pass.server)
    return new Blob([await res.arrayBuffer()], { type: file.mime })
  }

  /** An object URL for the file, made once per file for this lesson. */
  url(file: ChatFile): Promise<string> {
    let pending = this.urls.get(file.id)
    if (!pending) {
      pending = this.blob(file).then((b) => URL.createObjectURL(b))
      this.urls.set(file.id, pending)
      pending.catch(() => this.urls.delete(file.id))
    }
    return pending
  }

  /** Leaving the lesson: the object URLs go. */
  dispose(): void {
    for (const pending of this.urls.values()) void pending.then((u) => URL.revokeObjectURL(u)).catch(() => {})
    this.urls.clear()
  }
}
