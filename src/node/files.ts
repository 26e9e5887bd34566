import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { Logger } from '../shared/logger'
import { describeZodError } from '../shared/zodError'

/**
 * The data directory's small files: written atomically, read back only if
 * valid, and kept aside (never trusted, never overwritten) when not. One
 * implementation for every JSON file and secret the server keeps.
 */

/** Write to a temp file then rename, so a crash never leaves a half-written file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600 })
    fs.renameSync(tmp, file)
  } catch (err) {
    fs.rmSync(tmp, { force: true })
    throw err
  }
}

/** Keeps an unreadable file for a human (file.corrupt-<time>) instead of deleting or trusting it. */
export function moveAside(file: string, logger: Logger, reason: string): void {
  const aside = `${file}.corrupt-${Date.now()}`
  logger.warn('Unreadable data file moved aside', { file, aside, reason })
  try {
    fs.renameSync(file, aside)
  } catch (err) {
    logger.error('Could not move unreadable data file', { file, error: String(err) })
  }
}

/** A JSON file checked against its schema; null when missing, moved aside when invalid. */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>, logger: Logger): T | null {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return null
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text))
    if (parsed.success) return parsed.data
    moveAside(file, logger, describeZodError(parsed.error))
  } catch (err) {
    moveAside(file, logger, err instanceof Error ? err.message : String(err))
  }
  return null
}

/** A random secret of `bytes` bytes kept in `file` (mode 0600), made on first use; a damaged one is replaced. */
export function loadOrCreateSecret(file: string, bytes: number, logger: Logger): Uint8Array {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  if (fs.existsSync(file)) {
    const kept = fs.readFileSync(file)
    if (kept.length === bytes) return new Uint8Array(kept)
    // A new secret invalidates what the old one signed, which is the safe side.
    moveAside(file, logger, `expected ${bytes} bytes, found ${kept.length}`)
  }
  const secret = new Uint8Array(randomBytes(bytes))
  writeFileAtomic(file, secret)
  return secret
}

const IdSchema = z.uuid()

/**
 * One JSON file per record in a folder, named by the record's UUID: load one
 * or all, save (atomic; a full disk is logged, the caller's copy stays
 * authoritative), remove. A file that does not validate, or whose content
 * names another id, is moved aside.
 */
export class JsonFileStore<T> {
  constructor(
    private readonly dir: string,
    private readonly schema: z.ZodType<T>,
    private readonly idOf: (record: T) => string,
    private readonly logger: Logger,
  ) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  }

  /** Ids are validated UUIDs, so they are safe file names. */
  private fileOf(id: string): string {
    return path.join(this.dir, `${IdSchema.parse(id)}.json`)
  }

  load(id: string): T | null {
    if (!IdSchema.safeParse(id).success) return null
    const file = this.fileOf(id)
    const record = readJsonFile(file, this.schema, this.logger)
    if (record === null || this.idOf(record) === id) return record
    moveAside(file, this.logger, 'file name does not match the id inside')
    return null
  }

  loadAll(): T[] {
    const out: T[] = []
    for (const name of fs.readdirSync(this.dir)) {
      // Leftover temp files from a crash mid-write: the previous .json is intact.
      if (name.endsWith('.tmp')) fs.rmSync(path.join(this.dir, name), { force: true })
      if (!name.endsWith('.json')) continue
      const record = this.load(name.slice(0, -'.json'.length))
      if (record !== null) out.push(record)
    }
    return out
  }

  save(record: T): void {
    try {
      writeFileAtomic(this.fileOf(this.idOf(record)), JSON.stringify(record))
    } catch (err) {
      // A full disk must not take the lesson down; the in-memory copy stays authoritative.
      this.logger.error('Could not save a data file', { dir: this.dir, id: this.idOf(record), error: String(err) })
    }
  }

  remove(id: string): void {
    try {
      fs.rmSync(this.fileOf(id), { force: true })
    } catch (err) {
      this.logger.error('Could not remove a data file', { dir: this.dir, id, error: String(err) })
    }
  }

  ids(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((id) => IdSchema.safeParse(id).success)
  }
}
