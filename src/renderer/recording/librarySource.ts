import { LibraryListResponseSchema } from '../../shared/recording/http'
import type { Role } from '../../shared/lesson/lesson'
import { chatFileName, type LibraryEntry } from '../../shared/recording/library'
import type { Host } from '../host/Host'
import { forgetKeys, loadKeys, type StoredKey } from './webLibraryKeys'

/** One lesson in the library screen, wherever it is kept. */
export interface LibraryItem extends LibraryEntry {
  /** May rename and delete (desktop: always; web: with a tutor's key). */
  canManage: boolean
  /** Who is looking: the other person's name makes the default title. */
  viewerRole: Role | null
}

/**
 * Where the library screen's lessons come from: the desktop app's own
 * library (through the Host), or, in a browser, the records the session
 * server keeps of lessons this browser holds keys for.
 */
export interface LibrarySource {
  readonly kind: 'local' | 'server'
  list(): Promise<LibraryItem[]>
  fileUrl(item: LibraryItem, file: string): string
  rename(item: LibraryItem, title: string): Promise<void>
  remove(item: LibraryItem): Promise<void>
  /** Desktop: opens the lesson's folder. */
  reveal(item: LibraryItem): Promise<void>
  /** Desktop: save dialog (false = cancelled). Web: starts a download. */
  exportFile(item: LibraryItem, file: string, format: 'original' | 'mp4'): Promise<boolean>
}

export class LocalLibrary implements LibrarySource {
  readonly kind = 'local' as const

  constructor(private readonly host: Host) {}

  async list(): Promise<LibraryItem[]> {
    return (await this.host.library.list()).map((entry) => ({ ...entry, canManage: true, viewerRole: entry.record?.role ?? null }))
  }

  fileUrl(item: LibraryItem, file: string): string {
    return this.host.library.fileUrl(item.id, file)
  }

  rename(item: LibraryItem, title: string): Promise<void> {
    return this.host.library.rename(item.id, title)
  }

  remove(item: LibraryItem): Promise<void> {
    return this.host.library.delete(item.id)
  }

  reveal(item: LibraryItem): Promise<void> {
    return this.host.library.reveal(item.id)
  }

  exportFile(item: LibraryItem, file: string, format: 'original' | 'mp4'): Promise<boolean> {
    return this.host.library.export(item.id, file, format)
  }
}

export class ServerLibrary implements LibrarySource {
  readonly kind = 'server' as const

  constructor(private readonly server: string) {}

  private keys(): StoredKey[] {
    return loadKeys().filter((k) => k.server === this.server)
  }

  private keyOf(item: LibraryItem): string {
    return this.keys().find((k) => k.lessonId === item.id)?.key ?? ''
  }

  async list(): Promise<LibraryItem[]> {
    const keys = this.keys()
    if (keys.length === 0) return []
    const response = await fetch(new URL('/api/library/list', this.server), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ keys: keys.map((k) => k.key) }),
      signal: AbortSignal.timeout(15_000),
    })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const body = LibraryListResponseSchema.parse(await response.json())
    const invalid = body.invalidKeys.map((i) => keys[i]?.lessonId).filter((id): id is string => id !== undefined)
    if (invalid.length > 0) forgetKeys(this.server, invalid)
    return body.entries.map(({ role, ...entry }) => ({ ...entry, canManage: role === 'tutor', viewerRole: role }))
  }

  fileUrl(item: LibraryItem, file: string): string {
    return `${this.server}/api/library/${encodeURIComponent(item.id)}/file/${encodeURIComponent(file)}?key=${encodeURIComponent(this.keyOf(item))}`
  }

  private async post(item: LibraryItem, action: string, body: unknown): Promise<void> {
    const response = await fetch(new URL(`/api/library/${encodeURIComponent(item.id)}/${action}`, this.server), {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.keyOf(item)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    })
    if (!response.ok) {
      const json = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
      throw new Error(json?.error?.message ?? `HTTP ${response.status}`)
    }
  }

  rename(item: LibraryItem, title: string): Promise<void> {
    return this.post(item, 'rename', { title })
  }

  async remove(item: LibraryItem): Promise<void> {
    await this.post(item, 'delete', {})
    forgetKeys(this.server, [item.id])
  }

  async reveal(): Promise<void> {
    throw new Error('A browser cannot open folders')
  }

  async exportFile(item: LibraryItem, file: string, format: 'original' | 'mp4'): Promise<boolean> {
    const name = format === 'mp4' ? file.replace(/\.webm$/, '.mp4') : file
    const link = document.createElement('a')
    link.href = `${this.fileUrl(item, name)}&download=1`
    link.download = chatFileName(item.record, name) ?? name
    document.body.append(link)
    link.click()
    link.remove()
    return true
  }
}
