import { freePort, serverUrl, spawnSessionServer, stopProcess } from '../support/sessionServerProcess'
import type { NetLab } from './lab'

export interface LabServer {
  url: string
  stop(): Promise<void>
}

/**
 * A session server for lab lessons: it hands both people the lab's TURN
 * server (the relay in front of coturn) with relay-only ICE, through its
 * ordinary settings: with coturn's shared secret (each person gets their own
 * short-lived credential) or, for a static TURN user, as plain ICE servers.
 * `tuning: false` runs the built-in engine on plain WebRTC defaults (the
 * bench's baselines).
 */
export async function startLabServer(lab: NetLab, options: { tuning: boolean; webRoot?: string }): Promise<LabServer> {
  const port = await freePort()
  const child = await spawnSessionServer({
    port,
    webRoot: options.webRoot ?? 'dist/web',
    dataDir: '',
    clearEnvPrefix: 'DUET_',
    env: {
      ...(lab.auth.kind === 'secret'
        ? { DUET_TURN_URLS: lab.turnUrl, DUET_TURN_SECRET: lab.auth.secret }
        : { DUET_ICE_SERVERS: JSON.stringify(lab.iceServers()) }),
      DUET_ICE_TRANSPORT_POLICY: 'relay',
      DUET_MEDIA_TUNING: options.tuning ? 'on' : 'off',
    },
  })
  return { url: serverUrl(port), stop: () => stopProcess(child) }
}
