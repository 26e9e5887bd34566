import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { LessonServerHost, type HostedServerPolicy } from '../../../../../electron/main/services/LessonServerHost'
import { createSessionServer, lanAddresses } from '../../../../../src/server/index'
import { fakeLogger } from '../../fakes'

/** An address of this machine other people on the network would use. */
const lanIp = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
    return res.status < 500
  } catch {
    return false
  }
}

describe.skipIf(!lanIp)('the hosted session server on the network (real server)', () => {
  it('listens on 127.0.0.1 only until students on this network may join; then the LAN address answers and the invite lists it', async () => {
    const policy: HostedServerPolicy = { lanAccess: false, iceServers: [], recording: 'allowed' }
    const host = new LessonServerHost({
      createSessionServer: (opts) => createSessionServer({ ...opts, logger: { info() {}, warn() {}, error() {} } }),
      lanAddresses,
      schoolServerUrl: () => null,
      dataDir: null as unknown as string,
      webRoot: null,
      logger: fakeLogger(),
      port: 0,
      serverPolicy: () => policy,
      lessonRunning: () => false,
    })
    try {
      const local = await host.ensure()
      const port = new URL(local.url).port
      expect(local.lanUrls).toEqual([])
      expect(await reachable(`${local.url}/api/config`)).toBe(true)
      // Anyone on the LAN used to reach the tutor's server (issue 12): now the port is closed to them.
      expect(await reachable(`http://${lanIp}:${port}/api/config`)).toBe(false)

      policy.lanAccess = true
      expect(await host.applyServerPolicy()).toBe('restarted')
      const shared = await host.ensure()
      expect(shared.url).toBe(local.url) // same port after the restart
      expect(shared.lanUrls).toContain(`http://${lanIp}:${port}`)
      expect(await reachable(`http://${lanIp}:${port}/api/config`)).toBe(true)
    } finally {
      await host.close()
    }
  })
})
