import { freePort, serverUrl, spawnSessionServer, stopProcess } from '../support/sessionServerProcess'

/**
 * The standalone session server in its own process, as in real use, so the
 * benchmark driver's own work never delays the server's replies. Memory-only
 * unless `dataDir` is given (browser recordings need one); `bundle` runs
 * another checkout's built server, for comparing builds.
 */
export async function startServerProcess(webRoot: string, dataDir = '', bundle?: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort()
  const child = await spawnSessionServer({ port, webRoot, dataDir, bundle })
  return { url: serverUrl(port), stop: () => stopProcess(child) }
}
