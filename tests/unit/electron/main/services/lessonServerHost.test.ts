import { describe, expect, it, vi } from 'vitest'
import {
  LessonServerHost,
  loopbackUrl,
  type HostedServerHandle,
  type HostedServerOptions,
  type HostedServerPolicy,
  type LessonServerHostDeps,
} from '../../../../../electron/main/services/LessonServerHost'
import { fakeLogger } from '../../fakes'

function addrInUse(): Error {
  return Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:47300'), { code: 'EADDRINUSE' })
}

function setup(overrides: Partial<LessonServerHostDeps> = {}, busyPorts: number[] = []) {
  const closes: number[] = []
  let nextFreePort = 51000
  const createSessionServer = vi.fn(async (opts: HostedServerOptions): Promise<HostedServerHandle> => {
    await new Promise((r) => setTimeout(r, 5)) // starting takes a while: concurrent callers overlap
    if (busyPorts.includes(opts.port)) throw addrInUse()
    const port = opts.port === 0 ? nextFreePort++ : opts.port
    return { port, url: `http://127.0.0.1:${port}`, close: vi.fn(async () => void closes.push(port)) }
  })
  const school = { url: null as string | null }
  const state = { policy: { lanAccess: false, iceServers: [], recording: 'allowed' } as HostedServerPolicy, lesson: false }
  const deps: LessonServerHostDeps = {
    createSessionServer,
    lanAddresses: (port) => [`http://192.168.1.5:${port}`],
    schoolServerUrl: () => school.url,
    dataDir: '/user/data/session-server',
    webRoot: '/app/web',
    logger: fakeLogger(),
    serverPolicy: () => state.policy,
    lessonRunning: () => state.lesson,
    ...overrides,
  }
  return { host: new LessonServerHost(deps), createSessionServer, closes, school, state }
}

describe('LessonServerHost', () => {
  it('starts the server once for concurrent ensure calls, on this computer only by default', async () => {
    const { host, createSessionServer } = setup()
    const results = await Promise.all([host.ensure(), host.ensure(), host.ensure()])
    expect(createSessionServer).toHaveBeenCalledTimes(1)
    expect(createSessionServer.mock.calls[0]?.[0]).toMatchObject({
      port: 47300,
      host: '127.0.0.1',
      dataDir: '/user/data/session-server',
      webRoot: '/app/web',
      iceServers: [],
      recording: 'allowed',
    })
    for (const r of results) expect(r).toEqual({ url: 'http://127.0.0.1:47300', lanUrls: [], hosted: true, tutorKey: expect.any(String) })
    // The server is started with the very key the app's window is given: only this app may start lessons.
    const key = results[0]?.tutorKey ?? ''
    expect(key.length).toBeGreaterThanOrEqual(32)
    expect(createSessionServer.mock.calls[0]?.[0].tutorKeys).toEqual([{ key, id: 'owner' }])
    await host.ensure()
    expect(createSessionServer).toHaveBeenCalledTimes(1)
  })

  it('falls back to a free port when 47300 is busy', async () => {
    const { host, createSessionServer, state } = setup({}, [47300])
    state.policy.lanAccess = true
    await expect(host.ensure()).resolves.toEqual({ url: 'http://127.0.0.1:51000', lanUrls: ['http://192.168.1.5:51000'], hosted: true, tutorKey: expect.any(String) })
    expect(createSessionServer.mock.calls.map((c) => c[0].port)).toEqual([47300, 0])
  })

  it('does not hide other start errors, and retries on the next call', async () => {
    const { host, createSessionServer } = setup()
    createSessionServer.mockRejectedValueOnce(Object.assign(new Error('permission denied'), { code: 'EACCES' }))
    await expect(host.ensure()).rejects.toThrow('permission denied')
    expect(createSessionServer).toHaveBeenCalledTimes(1)
    await expect(host.ensure()).resolves.toMatchObject({ url: 'http://127.0.0.1:47300' })
    expect(createSessionServer).toHaveBeenCalledTimes(2)
  })

  it('returns the school server and starts nothing when one is set', async () => {
    const { host, createSessionServer, school } = setup()
    school.url = 'https://lessons.school.example/'
    await expect(host.ensure()).resolves.toEqual({ url: 'https://lessons.school.example', lanUrls: [], hosted: false })
    expect(createSessionServer).not.toHaveBeenCalled()
  })

  it('closes the hosted server once, and refuses to start again afterwards', async () => {
    const { host, closes, createSessionServer } = setup()
    await host.ensure()
    await host.close()
    await host.close()
    expect(closes).toEqual([47300])
    await expect(host.ensure()).rejects.toThrow(/shut down/)
    expect(createSessionServer).toHaveBeenCalledTimes(1)
  })

  it('close without a start is a no-op', async () => {
    const { host, createSessionServer } = setup()
    await expect(host.close()).resolves.toBeUndefined()
    expect(createSessionServer).not.toHaveBeenCalled()
  })

  it('closes a server that finishes starting after quit began', async () => {
    const { host, closes } = setup()
    const pending = host.ensure()
    await host.close()
    await expect(pending).rejects.toThrow(/shut down/)
    expect(closes).toEqual([47300])
  })

  it('"let students on this network join": listens on every interface and lists the LAN addresses; a change restarts it on the same port between lessons', async () => {
    const { host, createSessionServer, state, closes } = setup()
    await host.ensure()
    state.policy = { ...state.policy, lanAccess: true }
    await expect(host.applyServerPolicy()).resolves.toBe('restarted')
    expect(closes).toEqual([47300])
    expect(createSessionServer.mock.calls[1]?.[0]).toMatchObject({ host: '0.0.0.0', port: 47300 })
    await expect(host.ensure()).resolves.toEqual({ url: 'http://127.0.0.1:47300', lanUrls: ['http://192.168.1.5:47300'], hosted: true, tutorKey: expect.any(String) })
    await expect(host.applyServerPolicy()).resolves.toBe('unchanged')
    expect(createSessionServer).toHaveBeenCalledTimes(2)
  })

  it('never restarts under a running lesson: a change of network, TURN or recording waits for it to end', async () => {
    const { host, createSessionServer, state, closes } = setup()
    await host.ensure()
    state.lesson = true
    state.policy = { lanAccess: false, iceServers: [{ urls: 'turn:turn.school.example:3478' }], recording: 'forbidden' }
    await expect(host.applyServerPolicy()).resolves.toBe('after-lesson')
    expect(closes).toEqual([])
    state.lesson = false
    await host.lessonEnded()
    expect(closes).toEqual([47300])
    expect(createSessionServer.mock.calls[1]?.[0]).toMatchObject({ iceServers: [{ urls: 'turn:turn.school.example:3478' }], recording: 'forbidden' })
    await host.lessonEnded() // nothing waiting any more
    expect(createSessionServer).toHaveBeenCalledTimes(2)
  })

  it('a change before the first start simply applies at that start', async () => {
    const { host, createSessionServer } = setup()
    await expect(host.applyServerPolicy()).resolves.toBe('on-start')
    expect(createSessionServer).not.toHaveBeenCalled()
  })

  it('never hands out the wildcard address', () => {
    expect(loopbackUrl('http://0.0.0.0:47300', 47300)).toBe('http://127.0.0.1:47300')
    expect(loopbackUrl('http://127.0.0.1:47300/', 47300)).toBe('http://127.0.0.1:47300')
    expect(loopbackUrl('garbage', 5)).toBe('http://127.0.0.1:5')
  })
})
