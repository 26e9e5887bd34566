import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * `reg export <key> <file> /y`: the key (and its subkeys) as a UTF-16 .reg
 * file, read and removed again. reg.exe exits 1 without writing a file when
 * the key does not exist, which is the usual case (no policy deployed): that
 * resolves null. Anything else rejects with what reg.exe said.
 */
export function exportRegistryKey(env: Record<string, string | undefined>): (key: string) => Promise<Uint8Array | null> {
  const reg = join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'reg.exe')
  return async (key) => {
    const file = join(tmpdir(), `duet-policy-${randomUUID()}.reg`)
    try {
      const failure = await new Promise<{ code: number | null; stderr: string } | null>((resolve) => {
        execFile(reg, ['export', key, file, '/y'], { windowsHide: true, timeout: 15_000 }, (error, _stdout, stderr) => {
          resolve(error ? { code: typeof error.code === 'number' ? error.code : null, stderr: String(stderr).trim() } : null)
        })
      })
      if (failure) {
        if (failure.code === 1) return null
        throw new Error(`reg.exe export failed (exit ${failure.code ?? 'unknown'}): ${failure.stderr || 'no message'}`)
      }
      return new Uint8Array(await readFile(file))
    } finally {
      await rm(file, { force: true })
    }
  }
}
