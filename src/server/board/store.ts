import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { z } from 'zod'
import { sniffAsset, type AssetMime } from '../../shared/board/assets'
import type { Logger } from '../logger'
import { readJsonFile, writeFileAtomic } from '../../node/files'
import { logSeqs, readLog, removeLogsUpTo, UpdateLogWriter } from './updateLog'

/**
 * Where boards live: the Yjs state of each lesson (compacted state plus the
 * log of updates since, see updateLog.ts), its server-side board state (the
 * student lock) and its course material. One folder per lesson under
 * <dataDir>/boards, or memory only when there is no data dir.
 */
export interface BoardStore {
  /** The board's whole state: the saved state with every logged update after it. */
  loadDoc(lessonId: string): Uint8Array | null
  /** Keeps one accepted update before it is applied (a write to the page cache, no fsync). */
  appendUpdate(lessonId: string, update: Uint8Array): void
  /**
   * Compaction: `state` replaces the saved state and the log it covers. The
   * log is cut at the call, so capture `state` just before, in the same task.
   * Asynchronous so a large board never blocks the event loop on the disk.
   */
  saveDoc(lessonId: string, state: Uint8Array): Promise<void>
  /** The board left memory: release its open log file. */
  closeDoc(lessonId: string): void
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

export function memoryBoardStore(): BoardStore {
  const docs = new Map<string, Uint8Array>()
  const locks = new Map<string, boolean>()
  const assets = new Map<string, Map<string, { bytes: Uint8Array; mime: AssetMime }>>()
  return {
    loadDoc: (id) => docs.get(id) ?? null,
    // A memory-only board dies with the process: nothing to log.
    appendUpdate: () => {},
    saveDoc: async (id, state) => void docs.set(id, state),
    closeDoc: () => {},
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

/**
 * Temp file, fsync, rename, fsync the folder: the compacted state must be on
 * the disk before the log it replaces is deleted. Asynchronous throughout.
 */
async function writeDurably(file: string, data: Uint8Array): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
  try {
    const handle = await fs.promises.open(tmp, 'w', 0o600)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.promises.rename(tmp, file)
  } catch (err) {
    await fs.promises.rm(tmp, { force: true })
    throw err
  }
  try {
    const dir = await fs.promises.open(path.dirname(file), 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  } catch {
    // Windows cannot open a folder to sync it; there the rename is as durable as NTFS makes it.
  }
}

export class FileBoardStore implements BoardStore {
  private readonly root: string
  private readonly logs = new Map<string, UpdateLogWriter>()
  private readonly compacting = new Map<string, Promise<void>>()
  /** Highest log file number used per board whose log was closed (it left memory). */
  private readonly usedSeqs = new Map<string, number>()

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
    const dir = this.dir(lessonId)
    const log = readLog(dir)
    this.openLog(lessonId, log.lastSeq)
    if (log.tornBytes > 0) this.logger.warn('Board log ended in a torn record (a crash mid-write); the records before it are kept', { lessonId, tornBytes: log.tornBytes })
    let doc = new Y.Doc()
    const saved = this.loadSaved(lessonId, doc)
    if (log.updates.length === 0) return saved
    // A refused file may have left part of itself in the doc: replay the log into a clean one.
    if (saved === null) doc = new Y.Doc()
    let skipped = 0
    for (const update of log.updates) {
      try {
        Y.applyUpdate(doc, update)
      } catch {
        skipped += 1
      }
    }
    if (skipped > 0) this.logger.warn('Unreadable board log records skipped', { lessonId, skipped })
    return Y.encodeStateAsUpdate(doc)
  }

  /** board.ydoc applied to `doc`, if Yjs can read all of it; an unreadable file is moved aside. */
  private loadSaved(lessonId: string, doc: Y.Doc): Uint8Array | null {
    const file = this.dir(lessonId, 'board.ydoc')
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(fs.readFileSync(file))
    } catch {
      return null
    }
    try {
      Y.applyUpdate(doc, bytes)
      return bytes
    } catch {
      // Never serve (or later overwrite) a broken file: keep it aside for a human.
      const aside = `${file}.corrupt-${Date.now()}`
      this.logger.warn('Unreadable board moved aside', { lessonId, aside })
      fs.renameSync(file, aside)
      return null
    }
  }

  private openLog(lessonId: string, lastSeq: number): UpdateLogWriter {
    this.closeDoc(lessonId)
    // File numbers never go back within a process: a compaction still deleting the files it covers never meets a new one of the same name.
    const log = new UpdateLogWriter(this.dir(lessonId), Math.max(lastSeq, this.usedSeqs.get(lessonId) ?? 0))
    this.logs.set(lessonId, log)
    return log
  }

  appendUpdate(lessonId: string, update: Uint8Array): void {
    // Only a loaded board takes updates, so its log is open; if not, start one after any file there.
    const log = this.logs.get(lessonId) ?? this.openLog(lessonId, logSeqs(this.dir(lessonId)).at(-1) ?? 0)
    log.append(update)
  }

  saveDoc(lessonId: string, state: Uint8Array): Promise<void> {
    const covered = this.logs.get(lessonId)?.rotate() ?? null
    // One compaction at a time per board, in the order the states were captured.
    const run = (this.compacting.get(lessonId) ?? Promise.resolve()).then(async () => {
      const dir = this.ensureDir(lessonId)
      await writeDurably(path.join(dir, 'board.ydoc'), state)
      if (covered !== null) await removeLogsUpTo(dir, covered)
    })
    const settled = run.catch(() => {})
    this.compacting.set(lessonId, settled)
    void settled.then(() => {
      if (this.compacting.get(lessonId) === settled) this.compacting.delete(lessonId)
    })
    return run
  }

  closeDoc(lessonId: string): void {
    const log = this.logs.get(lessonId)
    if (!log) return
    log.close()
    this.usedSeqs.set(lessonId, log.seq)
    this.logs.delete(lessonId)
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
    this.closeDoc(lessonId)
    this.usedSeqs.delete(lessonId)
    fs.rmSync(this.dir(lessonId), { recursive: true, force: true })
  }
}
