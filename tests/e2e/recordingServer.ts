import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface RecordingServer {
  url: string
  dataDir: string
  stop(): Promise<void>
}

/**
 * A session server of its own for a recording test that needs settings the
 * shared e2e server does not have (an AI model): its own port, its own data
 * directory (lesson records), serving the built web client.
 */
export async function startRecordingServer(env: Record<string, string>): Promise<RecordingServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-rec-'))
  const base: NodeJS.ProcessEnv = { ...process.env }
  for (const key of Object.keys(base)) if (key.startsWith('DUET_')) delete base[key]
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/main.ts', '--host', '127.0.0.1', '--port', String(port), '--public-url', url, '--web-root', 'dist/web', '--data-dir', dataDir],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...base, ...env } },
  )
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('session server did not start')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dataDir, { recursive: true, force: true })
          resolve()
        }
        if (child.exitCode !== null) return done()
        child.once('exit', done)
        child.kill('SIGTERM')
      }),
  }
}
