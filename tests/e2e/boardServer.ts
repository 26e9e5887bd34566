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

/**
 * A session server of the test's own, with its own data folder, that the
 * test can crash (SIGKILL) and start again on the same port and data.
 */
export class RestartableServer {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'duet-board-e2e-'))
  port = 0
  private child: ChildProcess | null = null

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    this.port ||= await freePort()
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/server/main.ts', '--host', '127.0.0.1', '--port', String(this.port), '--public-url', this.url, '--web-root', 'dist/web', '--data-dir', this.dataDir],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
    this.child = child
    // tsx compiles the server on start: 20 s was not enough on a busy two-core machine (28 s measured at load 29).
    const deadline = Date.now() + 60_000
    for (;;) {
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return
      } catch {
        // not up yet
      }
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('session server did not start')
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /** Kills the process without letting it save or say goodbye. */
  async crash(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null) return
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    })
  }

  async dispose(): Promise<void> {
    await this.crash()
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}
