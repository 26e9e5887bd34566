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

/**
 * The standalone session server in its own process, as in real use, so the
 * benchmark driver's own work never delays the server's replies. Memory-only
 * unless `dataDir` is given (browser recordings need one).
 */
export async function startServerProcess(webRoot: string, dataDir = ''): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/main.ts', '--host', '127.0.0.1', '--port', String(port), '--public-url', url, '--web-root', webRoot, '--data-dir', dataDir],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  // tsx compiles the server on start; on a loaded machine that alone can take half a minute.
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
