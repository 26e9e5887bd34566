import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, serverUrl, spawnSessionServer, stopProcess } from './sessionServerProcess'

/**
 * A session server of the test's own, with its own data folder, that the
 * test can crash (SIGKILL) and start again on the same port and data.
 */
export class RestartableServer {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'duet-server-'))
  port = 0
  private child: ChildProcess | null = null

  get url(): string {
    return serverUrl(this.port)
  }

  /** The running server's process id (its memory is read from /proc). */
  get pid(): number {
    const pid = this.child?.pid
    if (pid === undefined) throw new Error('the server is not running')
    return pid
  }

  async start(): Promise<void> {
    this.port ||= await freePort()
    this.child = await spawnSessionServer({ port: this.port, webRoot: 'dist/web', dataDir: this.dataDir })
  }

  /** Kills the process without letting it save or say goodbye; the signal is sent before this returns. */
  async crash(): Promise<void> {
    if (this.child) await stopProcess(this.child, 'SIGKILL')
  }

  async dispose(): Promise<void> {
    await this.crash()
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}
