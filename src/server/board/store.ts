import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { z } from 'zod'
import { sniffAsset, type AssetMime } from '../../shared/board/assets'
import type { Logger } from '../logger'
import { readJsonFile, writeFileAtomic } from '../../node/files'

/**
 * Where boards live: the Yjs state of each lesson, its server-side board
 * state (the student lock) and its course material. One folder per lesson
 * under <dataDir>/boards, or memory only when there is no data dir.
 */
export interface BoardStore {
  loadDoc(lessonId: string): Uint8Array | null
  /** Asynchronous so a large board never blocks the event loop on the disk. */
  saveDoc(lessonId: string, state: Uint8Array): Promise<void>
  loadLocked(lessonId: string): boolean
  saveLocked(lessonId: string, locked: boolean): void
  getAsset(lessonId: string, id: string): { bytes: Uint8Array; mime: AssetMime } | null
  putAsset(lessonId: string, id: string, bytes: Uint8Array): void
  /** Bytes of course material held for this lesson (for its quota). */
  assetBytes(lessonId: string): number
  lessonIds(): string[]
  remove(lessonId: string): void
}

const LessonIdSchema = z.uuid()
const AssetFileSchema = z.string().regex(/^[0-9a-f]{64}\.(pdf|png|jpg|gif|webp)$/)
const StateFileSchema = z.object({ locked: z.boolean() })

/** A stored board is only handed to Hocuspocus if Yjs can read all of it. */
export function isReadableState(state: Uint8Array): boolean {
  try {
    Y.applyUpdate(new Y.Doc(), state)
    return true
  } catch {
    return false
  }
}

export function memoryBoardStore(): BoardStore {
  const docs = new Map<string, Uint8Array>()
  const locks = new Map<string, boolean>()
  const assets = new Map<string, Map<string, { bytes: Uint8Array; mime: AssetMime }>>()
  return {
    loadDoc: (id) => docs.get(id) ?? null,
    saveDoc: async (id, state) => void docs.set(id, state),
    loadLocked: (id) => locks.get(id) ?? false,
    saveLocked: (id, locked) => void locks.set(id, locked),
    getAsset: (id, asset) => assets.get(id)?.get(asset) ?? null,
    putAsset(id, asset, bytes) {
      const kind = sniffAsset(bytes)
      if (!kind) throw new Error('not a supported asset')
      let lesson = assets.get(id)
      if (!lesson) assets.set(id, (lesson = new Map()))
      lesson.set(asset, { bytes, mime: kind.mime })
    },
    assetBytes: (id) => [...(assets.get(id)?.values() ?? [])].reduce((n, a) => n + a.bytes.length, 0),
    lessonIds: () => [...new Set([...docs.keys(), ...locks.keys(), ...assets.keys()])],
    remove(id) {
      docs.delete(id)
      locks.delete(id)
      assets.delete(id)
    },
  }
}

export class FileBoardStore implements BoardStore {
  private readonly root: string

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.root = path.join(dataDir, 'boards')
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 })
  }

  /** Lesson ids are validated UUIDs, so they are safe folder names. */
  private dir(lessonId: string, ...rest: string[]): string {
    return path.join(this.root, LessonIdSchema.parse(lessonId), ...rest)
  }

  private ensureDir(lessonId: string, ...rest: string[]): string {
    const dir = this.dir(lessonId, ...rest)
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    return dir
  }

  loadDoc(lessonId: string): Uint8Array | null {
    const file = this.dir(lessonId, 'board.ydoc')
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(fs.readFileSync(file))
    } catch {
      return null
    }
    if (isReadableState(bytes)) return bytes
    // Never serve (or later overwrite) a broken file: keep it aside for a human.
    const aside = `${file}.corrupt-${Date.now()}`
    this.logger.warn('Unreadable board moved aside', { lessonId, aside })
    fs.renameSync(file, aside)
    return null
  }

  async saveDoc(lessonId: string, state: Uint8Array): Promise<void> {
    // Temp file then rename, as writeFileAtomic, but without blocking the event loop.
    const file = path.join(this.ensureDir(lessonId), 'board.ydoc')
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
    try {
      await fs.promises.writeFile(tmp, state, { mode: 0o600 })
      await fs.promises.rename(tmp, file)
    } catch (err) {
      await fs.promises.rm(tmp, { force: true })
      throw err
    }
  }

  loadLocked(lessonId: string): boolean {
    return readJsonFile(this.dir(lessonId, 'state.json'), StateFileSchema, this.logger)?.locked ?? false
  }

  saveLocked(lessonId: string, locked: boolean): void {
    writeFileAtomic(path.join(this.ensureDir(lessonId), 'state.json'), JSON.stringify({ locked }))
  }

  getAsset(lessonId: string, id: string): { bytes: Uint8Array; mime: AssetMime } | null {
    const dir = this.dir(lessonId, 'assets')
    let names: string[]
    try {
      names = fs.readdirSync(dir)
    } catch {
      return null
    }
    const name = names.find((n) => n.startsWith(`${id}.`) && AssetFileSchema.safeParse(n).success)
    if (!name) return null
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, name)))
    const kind = sniffAsset(bytes)
    return kind ? { bytes, mime: kind.mime } : null
  }

  putAsset(lessonId: string, id: string, bytes: Uint8Array): void {
    const kind = sniffAsset(bytes)
    if (!kind || !/^[0-9a-f]{64}$/.test(id)) throw new Error('not a supported asset')
    writeFileAtomic(path.join(this.ensureDir(lessonId, 'assets'), `${id}.${kind.ext}`), bytes)
  }

  assetBytes(lessonId: string): number {
    const dir = this.dir(lessonId, 'assets')
    try {
      return fs.readdirSync(dir).reduce((n, name) => n + fs.statSync(path.join(dir, name)).size, 0)
    } catch {
      return 0
    }
  }

  lessonIds(): string[] {
    return fs.readdirSync(this.root).filter((name) => LessonIdSchema.safeParse(name).success)
  }

  remove(lessonId: string): void {
    fs.rmSync(this.dir(lessonId), { recursive: true, force: true })
  }
}
