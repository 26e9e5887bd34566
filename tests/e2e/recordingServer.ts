import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, serverUrl, spawnSessionServer, stopProcess } from '../support/sessionServerProcess'

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
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-e2e-rec-'))
  const child = await spawnSessionServer({ port, webRoot: 'dist/web', dataDir, env, clearEnvPrefix: 'DUET_' })
  return {
    url: serverUrl(port),
    dataDir,
    stop: async () => {
      await stopProcess(child)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
