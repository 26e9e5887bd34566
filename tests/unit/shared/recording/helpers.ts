import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { nodeRecordingFs } from '../../../../src/node/recordingFs'
import type { ByteSource } from '../../../../src/shared/recording/ebml'
import type { RecordingFs } from '../../../../src/shared/recording/fs'
import type { LessonMeta } from '../../../../src/shared/recording/library'

const FIXTURES = join(import.meta.dirname, '../../../fixtures/recording')

/** A real MediaRecorder WebM (Chromium, VP9/VP8 + Opus, 4 s, 1 s chunks) and its chunk sizes. */
export function fixture(name: 'vp9-4s' | 'vp8-4s'): { bytes: Uint8Array; chunks: Uint8Array[] } {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, `${name}.webm`)))
  const sizes = JSON.parse(readFileSync(join(FIXTURES, `${name}.chunks.json`), 'utf8')) as number[]
  const chunks: Uint8Array[] = []
  let offset = 0
  for (const size of sizes) {
    chunks.push(bytes.subarray(offset, offset + size))
    offset += size
  }
  return { bytes, chunks }
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (position, length) => bytes.slice(position, position + length) }
}

/** A fresh temp folder per test, removed afterwards. */
export function tempDirs(): () => string {
  const made: string[] = []
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'duet-rec-'))
    made.push(dir)
    return dir
  }
}

export interface Faults {
  /** Free space statfs reports (null = real value). */
  freeBytes: number | null
  /** A write that would pass this many bytes in one file writes up to it, then throws ENOSPC. */
  diskFullAfter: number | null
  syncs: number
}

/** The real Node adapter with a disk that can fill up on cue. */
export function faultyFs(faults: Partial<Faults> = {}): RecordingFs & { faults: Faults } {
  const state: Faults = { freeBytes: null, diskFullAfter: null, syncs: 0, ...faults }
  return {
    ...nodeRecordingFs,
    faults: state,
    freeBytes: async (path) => state.freeBytes ?? nodeRecordingFs.freeBytes(path),
    async open(path, mode) {
      const file = await nodeRecordingFs.open(path, mode)
      return {
        ...file,
        async write(data, position) {
          const limit = state.diskFullAfter
          if (limit !== null && position + data.length > limit) {
            const fits = Math.max(0, limit - position)
            if (fits > 0) await file.write(data.subarray(0, fits), position)
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
          }
          await file.write(data, position)
        },
        async sync() {
          state.syncs += 1
          await file.sync()
        },
      }
    },
  }
}

export const LESSON_ID = '6f1c2b7e-3c1a-4d2e-9f00-1234567890ab'

export function meta(overrides: Partial<LessonMeta> = {}): LessonMeta {
  return {
    lessonId: LESSON_ID,
    role: 'tutor',
    tutorName: 'Ms Li',
    studentName: 'Wei',
    server: 'http://127.0.0.1:47300',
    startedAt: 1_700_000_000_000,
    endedAt: null,
    durationMs: null,
    ...overrides,
  }
}

export const silent = { info: () => {}, warn: () => {}, error: () => {} }
