import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { buildServer } from '../../scripts/build-server'

/**
 * The standalone session server in a process of its own, as a school runs
 * it: for tests and benchmarks that need their own settings, data folder or a
 * server they can crash. One place for spawning, waiting and stopping, used by
 * the e2e helpers, the AI tests and the bench.
 */

/** The environment of a server whose clock runs `shiftMs` ahead of now (tests/support/shiftedClock.mjs); none for 0. */
export function shiftedClockEnv(shiftMs: number): Record<string, string> {
  return shiftMs ? { NODE_OPTIONS: `--import ${resolve('tests/support/shiftedClock.mjs')}`, DUET_TEST_CLOCK_SHIFT_MS: String(shiftMs) } : {}
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
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
 * Ends `child` when this process ends, however it ends (a test runner's
 * timeout sends SIGTERM, Ctrl+C sends SIGINT): a TURN or session server left
 * behind keeps its ports and CPU on a shared machine.
 */
export function endWithThisProcess(child: ChildProcess): void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  process.once('exit', kill)
  child.once('exit', () => process.off('exit', kill))
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // Without a listener Node dies on these signals without running 'exit' handlers.
    if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(128 + (signal === 'SIGTERM' ? 15 : 2)))
  }
}

export interface SpawnOptions {
  port: number
  webRoot: string
  /** '' keeps everything in memory. */
  dataDir: string
  /** Extra environment (DUET_* settings). */
  env?: Record<string, string>
  /** Drop inherited variables with this prefix first, so the machine's own settings never leak in. */
  clearEnvPrefix?: string
  /** Another checkout's server bundle (its dist/server/main.mjs), to compare builds; default: this checkout's, built from the sources. */
  bundle?: string
}

export function serverUrl(port: number): string {
  return `http://127.0.0.1:${port}`
}

let bundle: Promise<string> | null = null

/**
 * The server as `npm run server` runs it (dist/server/main.mjs), built from
 * the sources once per test process, so that a test never runs a stale build.
 */
export function serverBundle(): Promise<string> {
  return (bundle ??= buildServer())
}

/** Starts the server and resolves once /api/health answers. */
export async function spawnSessionServer(opts: SpawnOptions): Promise<ChildProcess> {
  const url = serverUrl(opts.port)
  const env: NodeJS.ProcessEnv = { ...process.env }
  if (opts.clearEnvPrefix) for (const key of Object.keys(env)) if (key.startsWith(opts.clearEnvPrefix)) delete env[key]
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', opts.bundle ?? (await serverBundle()), '--host', '127.0.0.1', '--port', String(opts.port), '--public-url', url, '--web-root', opts.webRoot, '--data-dir', opts.dataDir],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, ...opts.env } },
  )
  endWithThisProcess(child)
  // A busy two-core machine has taken 28 s to start it (load 29, when tsx still compiled it on start).
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return child
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL')
      throw new Error('session server did not start')
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Ends the process (SIGTERM lets it save; SIGKILL is a crash) and waits for it. */
export async function stopProcess(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}
