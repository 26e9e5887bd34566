import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

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

export interface ServerProcess {
  url: string
  stop(): Promise<void>
}

/**
 * The standalone session server in its own process, configured through the
 * DUET_AI_* environment exactly as a school would, serving the built web
 * client. For the AI browser tests and benchmark (tests/e2e/ai*.spec.ts,
 * tests/bench/ai.ts).
 */
export async function startAiServer(webRoot: string, aiEnv: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of Object.keys(env)) if (key.startsWith('DUET_AI_')) delete env[key]
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/main.ts', '--host', '127.0.0.1', '--port', String(port), '--public-url', url, '--web-root', webRoot, '--data-dir', ''],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, ...aiEnv } },
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
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
