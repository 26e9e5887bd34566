import { freePort, serverUrl, spawnSessionServer, stopProcess } from './sessionServerProcess'

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
  const child = await spawnSessionServer({ port, webRoot, dataDir: '', env: aiEnv, clearEnvPrefix: 'DUET_AI_' })
  return { url: serverUrl(port), stop: () => stopProcess(child) }
}
