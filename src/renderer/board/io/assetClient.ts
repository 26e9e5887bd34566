import { AssetUploadResponseSchema, assetPath, assetUploadPath, type AssetMime, type AssetUploadResponse } from '../../../shared/board/assets'

export type AssetErrorCode = 'network' | 'too_large' | 'forbidden' | 'unreadable' | 'failed'

export class AssetError extends Error {
  constructor(readonly code: AssetErrorCode) {
    super(code)
  }
}

function errorFor(status: number): AssetError {
  if (status === 413) return new AssetError('too_large')
  if (status === 401 || status === 403) return new AssetError('forbidden')
  if (status === 400 || status === 415) return new AssetError('unreadable')
  return new AssetError('failed')
}

/** Course material on the session server: upload once, fetch by id, cache the bytes for the session. */
export class AssetClient {
  private readonly cache = new Map<string, Promise<Uint8Array>>()

  constructor(
    private readonly server: string,
    private readonly lessonId: string,
    private readonly token: string,
  ) {}

  private url(path: string): string {
    return new URL(path, this.server).toString()
  }

  async upload(bytes: Uint8Array, mime: AssetMime): Promise<AssetUploadResponse> {
    let res: Response
    try {
      res = await fetch(this.url(assetUploadPath(this.lessonId)), {
        method: 'POST',
        headers: { 'Content-Type': mime, Authorization: `Bearer ${this.token}` },
        body: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }),
      })
    } catch {
      throw new AssetError('network')
    }
    if (!res.ok) throw errorFor(res.status)
    const parsed = AssetUploadResponseSchema.safeParse(await res.json().catch(() => null))
    if (!parsed.success) throw new AssetError('failed')
    // The uploader already has the bytes: keep them so its own pages draw at once.
    this.cache.set(parsed.data.id, Promise.resolve(bytes))
    return parsed.data
  }

  get(id: string): Promise<Uint8Array> {
    let pending = this.cache.get(id)
    if (!pending) {
      pending = this.fetchBytes(id)
      this.cache.set(id, pending)
      // A failed fetch may be retried later (e.g. after reconnecting).
      pending.catch(() => this.cache.delete(id))
    }
    return pending
  }

  private async fetchBytes(id: string): Promise<Uint8Array> {
    let res: Response
    try {
      res = await fetch(this.url(assetPath(this.lessonId, id)), { headers: { Authorization: `Bearer ${this.token}` } })
    } catch {
      throw new AssetError('network')
    }
    if (!res.ok) throw errorFor(res.status)
    return new Uint8Array(await res.arrayBuffer())
  }
}
