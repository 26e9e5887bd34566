import fs from 'node:fs'
import path from 'node:path'
import type { z } from 'zod'
import { AiLessonRecordSchema } from './ai/store'
import { writeAiRecord } from './ai/aiTable'
import type { Db } from './db/schema'
import { toJson } from './db/json'
import { writeLesson } from './lesson/lessonTable'
import { StoredLessonSchema } from './lesson/store'
import { JsonFileStore } from '../node/files'
import type { Logger } from './logger'

/** The name this import is recorded under in data_imports (it runs once per database). */
export const JSON_IMPORT = 'json-data-dir'
/** Where the imported folders are kept, inside the data folder. */
export const IMPORTED_ASIDE = 'imported-json'

const FOLDERS = ['lessons', 'ai', 'ai-practice'] as const

/**
 * Brings a data folder of an earlier version (one JSON file per lesson in
 * lessons/, per lesson AI record in ai/, per practice pass in ai-practice/)
 * into the database on the first start with one: everything in one
 * transaction, recorded in data_imports so it runs once, then the folders
 * are moved to imported-json/ (kept, not deleted). Files that cannot be
 * read are moved aside (.corrupt-…) and logged, as the old stores did; the
 * rest is imported.
 */
export async function importJsonDataDir(db: Db, dataDir: string, logger: Logger, now: () => number): Promise<void> {
  const present = FOLDERS.filter((folder) => isDir(path.join(dataDir, folder)))
  const done = await db.selectFrom('data_imports').select('name').where('name', '=', JSON_IMPORT).executeTakeFirst()
  if (done) {
    // Imported before, but the process stopped before the folders were moved.
    if (present.length > 0) setAside(dataDir, present, logger)
    return
  }
  const lessons = readFolder(path.join(dataDir, 'lessons'), StoredLessonSchema, (l) => l.id, logger)
  const ai = readFolder(path.join(dataDir, 'ai'), AiLessonRecordSchema, (r) => r.lessonId, logger)
  const practice = readFolder(path.join(dataDir, 'ai-practice'), AiLessonRecordSchema, (r) => r.lessonId, logger)
  const details = { lessons: lessons.length, aiRecords: ai.length, practiceRecords: practice.length }
  await db.transaction().execute(async (tx) => {
    for (const lesson of lessons) await writeLesson(tx, lesson)
    for (const record of ai) await writeAiRecord(tx, 'lesson', record, now())
    for (const record of practice) await writeAiRecord(tx, 'practice', record, now())
    await tx.insertInto('data_imports').values({ name: JSON_IMPORT, imported_at: now(), details: toJson(details) }).execute()
  })
  if (present.length > 0) {
    logger.info('Data folder imported into the database', details)
    setAside(dataDir, present, logger)
  }
}

function isDir(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory()
  } catch {
    return false
  }
}

/** Every valid <id>.json of a folder (the old stores' own reader: leftovers of a crashed write dropped, bad files moved aside). */
function readFolder<T>(dir: string, schema: z.ZodType<T>, idOf: (value: T) => string, logger: Logger): T[] {
  return isDir(dir) ? new JsonFileStore(dir, schema, idOf, logger).loadAll() : []
}

function setAside(dataDir: string, folders: readonly string[], logger: Logger): void {
  const aside = path.join(dataDir, IMPORTED_ASIDE)
  fs.mkdirSync(aside, { recursive: true, mode: 0o700 })
  for (const folder of folders) {
    let target = path.join(aside, folder)
    if (fs.existsSync(target)) target = `${target}-${Date.now()}`
    try {
      fs.renameSync(path.join(dataDir, folder), target)
    } catch (err) {
      logger.error('Could not move an imported folder aside', { folder, error: String(err) })
    }
  }
}
