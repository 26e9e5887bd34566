import type { ByteSource } from './ebml'
import { errorText, type RecordingFile, type RecordingFs } from './fs'
import type { LibraryProblem, RecordingStatus } from './library'
import { remux } from './remux'
import { scanWebm } from './webmScan'

/** How the recording ended: the user stopped it, the app/renderer died, or the disk filled up. */
export type FinalizeReason = 'stopped' | 'interrupted' | 'disk-full'

export interface FinalizeResult {
  status: Exclude<RecordingStatus, 'recording'>
  durationMs: number | null
  problem: LibraryProblem | null
  /** Finalizing could not run now (no room for the rewrite): keep the in-progress marker and retry on the next start. */
  retryLater: boolean
}

/** Room needed next to the file for the rewrite: the file again plus some slack. */
const SLACK_BYTES = 16 * 1024 * 1024

export function fileSource(file: RecordingFile, size: number): ByteSource {
  return { size, read: (position, length) => file.read(position, length) }
}

/**
 * Makes a MediaRecorder WebM seekable with a real duration: drops a torn tail
 * (an unfinished cluster or block after a crash), then rewrites the file with
 * Duration and Cues next to it and swaps it in with a rename. The original
 * stays untouched until the rewrite is complete and on disk.
 */
export async function finalizeRecording(fs: RecordingFs, path: string, reason: FinalizeReason): Promise<FinalizeResult> {
  const info = await fs.stat(path)
  if (!info) return damaged('file-missing', 'the recording file is not there')
  if (info.size === 0) return damaged('file-empty', 'the recording file is empty')

  const source = await fs.open(path, 'r')
  const temp = `${path}.finalizing`
  let output: RecordingFile | null = null
  try {
    const scan = await scanWebm(fileSource(source, info.size))
    if (!scan.ok) return damaged(scan.problem, scan.detail)
    const free = await fs.freeBytes(path).catch(() => null)
    if (free !== null && free < scan.cleanEnd + SLACK_BYTES) {
      return { ...damaged('no-space-to-finish', `needs ${scan.cleanEnd + SLACK_BYTES} bytes free, has ${free}`), retryLater: true }
    }
    output = await fs.open(temp, 'w')
    const target = output
    const { durationMs } = await remux(fileSource(source, info.size), scan.cleanEnd, { write: (data, position) => target.write(data, position) }, 'webm')
    await target.sync()
    await target.close()
    output = null
    await source.close()
    await fs.rename(temp, path)
    return { status: reason === 'stopped' && scan.truncatedBytes === 0 ? 'ready' : 'repaired', durationMs, problem: repairNote(reason, scan.truncatedBytes), retryLater: false }
  } catch (error) {
    return damaged('finalize-failed', errorText(error))
  } finally {
    await output?.close().catch(() => {})
    await source.close().catch(() => {})
    await fs.rm(temp).catch(() => {})
  }
}

function damaged(code: LibraryProblem['code'], detail: string): FinalizeResult {
  return { status: 'damaged', durationMs: null, problem: { code, detail }, retryLater: false }
}

function repairNote(reason: FinalizeReason, truncatedBytes: number): LibraryProblem | null {
  const dropped = truncatedBytes > 0 ? `; dropped ${truncatedBytes} bytes of an unfinished write` : ''
  if (reason === 'interrupted') return { code: 'interrupted', detail: `recovered after the recording was cut off${dropped}` }
  if (reason === 'disk-full') return { code: 'disk-full', detail: `stopped because the disk was full${dropped}` }
  return truncatedBytes > 0 ? { code: 'interrupted', detail: `repaired${dropped}` } : null
}
