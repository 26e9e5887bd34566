// @vitest-environment happy-dom
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { ApiRequestError } from '../../../../src/renderer/lesson/ApiRequestError'
import { SessionApi } from '../../../../src/renderer/lesson/sessionApi'
import type { LessonServerInfo } from '../../../../src/renderer/host/Host'
import { provideHost } from '../../../../src/renderer/host/current'
import { loadPass } from '../../../../src/renderer/lesson/LessonPass'
import { useSessionStore } from '../../../../src/renderer/lesson/stores/sessionStore'
import { useSettingsStore } from '../../../../src/renderer/settings/stores/settingsStore'
import { createSessionServer, type SessionServer } from '../../../../src/server/index'
import { silentLogger } from '../../../../src/server/logger'
import { INVITE_ALPHABET } from '../../../../src/shared/lesson/invite'
import { fakeHost } from '../fakeHost'
import { ServerNotAllowedError } from '../../../../src/renderer/lesson/ServerNotAllowedError'
import { usePolicyStore } from '../../../../src/renderer/settings/stores/policyStore'
import { EMPTY_POLICY_VIEW } from '../../../../src/shared/policy/view'

const PUBLIC_URL = 'http://duet.test:47300'
const LAN_URL = 'http://192.168.1.20:47300'

let server: SessionServer
/** A server that was started and stopped: nothing listens on its port. */
let deadUrl: string

/** happy-dom's page origin: the app calls the server cross-origin, as the desktop app (app://duet) does. */
const PAGE_ORIGIN = 'http://localhost:3000'

beforeAll(async () => {
  server = await createSessionServer({ port: 0, host: '127.0.0.1', dataDir: null, webRoot: null, publicUrl: PUBLIC_URL, allowedOrigins: [PAGE_ORIGIN], logger: silentLogger })
  const dead = await createSessionServer({ port: 0, host: '127.0.0.1', dataDir: null, webRoot: null, logger: silentLogger })
  deadUrl = dead.url
  await dead.close()
})
afterAll(() => server.close())
// Note: happy-dom's fetch prints each failed request (404, ECONNREFUSED) to the
// worker's own console, which vi.spyOn(console) cannot reach; that output is expected.

function setup(lessonServer: LessonServerInfo = { url: '', lanUrls: [LAN_URL, PUBLIC_URL], hosted: true }) {
  const fake = fakeHost({ server: { ...lessonServer, url: lessonServer.url || server.url } })
  provideHost(fake.host)
  setActivePinia(createPinia())
  return fake
}

async function expectApiError(promise: Promise<unknown>, code: string, serverUrl: string): Promise<ApiRequestError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ApiRequestError)
  expect(error).toMatchObject({ name: 'ApiRequestError', code, server: serverUrl })
  return error as ApiRequestError
}

describe('session store against a real session server', () => {
  beforeEach(() => sessionStorage.clear())

  it('starts a lesson: tutor pass with invite, saved for the tab, name remembered', async () => {
    const fake = setup()
    const session = useSessionStore()
    expect(session.pass).toBeNull()

    const pass = await session.startLesson('Ms Li')
    expect(pass.role).toBe('tutor')
    expect(pass.server).toBe(server.url)
    expect(pass.selfName).toBe('Ms Li')
    expect(pass.tutorName).toBe('Ms Li')
    expect(pass.token.split('.')).toHaveLength(3)
    // The server names who we are; the client never decodes the token itself.
    expect(JSON.parse(Buffer.from(pass.token.split('.')[1]!, 'base64url').toString()).sub).toBe(pass.participantId)
    expect(pass.lessonId).toEqual(expect.any(String))
    expect(pass.invite).not.toBeNull()
    const invite = pass.invite!
    expect(invite.code).toMatch(new RegExp(`^[${INVITE_ALPHABET}]{8}$`))
    expect(invite.url).toBe(`${PUBLIC_URL}/join/${invite.code}`)
    expect(invite.deepLink).toBe(`duet://join/${invite.code}?server=${encodeURIComponent(PUBLIC_URL)}`)
    expect(invite.expiresAt).toBeGreaterThan(Date.now())
    // The LAN address that equals the public link is not repeated.
    expect(invite.lanUrls).toEqual([`${LAN_URL}/join/${invite.code}`])

    expect(session.pass).toEqual(pass)
    expect(loadPass()).toEqual(pass)
    expect(fake.host.settings.update).toHaveBeenCalledWith({ displayName: 'Ms Li' })
    expect(useSettingsStore().settings.displayName).toBe('Ms Li')

    // A reload (new store, same tab) finds the pass again; clear() forgets it.
    setActivePinia(createPinia())
    const reloaded = useSessionStore()
    expect(reloaded.pass).toEqual(pass)
    reloaded.clear()
    expect(reloaded.pass).toBeNull()
    expect(loadPass()).toBeNull()
  })

  it('previews and joins an invite as a student', async () => {
    setup()
    const tutorSession = useSessionStore()
    const tutorPass = await tutorSession.startLesson('Ms Li')
    const code = tutorPass.invite!.code

    sessionStorage.clear()
    const fake = setup()
    const session = useSessionStore()
    const preview = await session.previewInvite({ code, server: null })
    expect(preview).toEqual({ lessonId: tutorPass.lessonId, tutorName: 'Ms Li', expiresAt: tutorPass.invite!.expiresAt })
    // A link that names the server goes there.
    await expect(session.previewInvite({ code, server: server.url })).resolves.toEqual(preview)

    const pass = await session.joinLesson({ code, server: null }, 'Wei')
    expect(pass).toEqual({
      server: server.url,
      lessonId: tutorPass.lessonId,
      token: expect.any(String),
      participantId: expect.any(String),
      role: 'student',
      selfName: 'Wei',
      tutorName: 'Ms Li',
      invite: null,
    })
    expect(pass.token).not.toBe(tutorPass.token)
    expect(loadPass()).toEqual(pass)
    expect(fake.host.settings.update).toHaveBeenLastCalledWith({ displayName: 'Wei' })
  })

  it('joins bare codes on the configured server before the host one', async () => {
    const tutorPass = await (setup(), useSessionStore()).startLesson('Ms Li')
    // The host's own server is down, but the user configured the school server.
    const fake = setup({ url: deadUrl, lanUrls: [], hosted: true })
    await useSettingsStore().update({ serverUrl: server.url })
    const session = useSessionStore()
    await expect(session.previewInvite({ code: tutorPass.invite!.code, server: null })).resolves.toMatchObject({ tutorName: 'Ms Li' })
    expect(fake.host.app.lessonServer).not.toHaveBeenCalled()
  })

  it("the school's ServerUrlOnly: an invite for another server is refused before any request; the school's own works", async () => {
    const fake = fakeHost({ server: { url: server.url, lanUrls: [], hosted: false } })
    fake.host.policy.get.mockResolvedValue({ ...EMPTY_POLICY_VIEW, enforced: ['ServerUrl', 'ServerUrlOnly'], onlyServer: server.url, lockedSettings: ['serverUrl'] })
    provideHost(fake.host)
    setActivePinia(createPinia())
    await usePolicyStore().load()
    const session = useSessionStore()
    const tutorPass = await session.startLesson('Ms Li')
    await expect(session.previewInvite({ code: 'K7P2QXMA', server: 'http://192.168.1.99:47300' })).rejects.toBeInstanceOf(ServerNotAllowedError)
    await expect(session.previewInvite({ code: tutorPass.invite!.code, server: `${server.url}/` })).resolves.toMatchObject({ tutorName: 'Ms Li' })
  })

  it('makes a new invite for the tutor: new code and links in the pass, the old code expired', async () => {
    setup()
    const session = useSessionStore()
    const before = await session.startLesson('Ms Li')
    await session.renewInvite()
    const invite = session.pass!.invite!
    expect(invite.code).not.toBe(before.invite!.code)
    expect(invite.url).toBe(`${PUBLIC_URL}/join/${invite.code}`)
    expect(invite.lanUrls).toEqual([`${LAN_URL}/join/${invite.code}`])
    expect(invite.expiresAt).toBeGreaterThanOrEqual(before.invite!.expiresAt)
    expect(loadPass()).toEqual(session.pass)
    expect(session.pass!.token).toBe(before.token)
    await expectApiError(session.previewInvite({ code: before.invite!.code, server: null }), 'invite_expired', server.url)
    await expect(session.previewInvite({ code: invite.code, server: null })).resolves.toMatchObject({ tutorName: 'Ms Li' })
  })

  it('maps an unknown invite to invite_not_found', async () => {
    setup()
    const session = useSessionStore()
    await expectApiError(session.previewInvite({ code: 'ZZZZZZZZ', server: null }), 'invite_not_found', server.url)
    await expectApiError(session.joinLesson({ code: 'ZZZZZZZZ', server: null }, 'Wei'), 'invite_not_found', server.url)
    expect(session.pass).toBeNull()
    expect(loadPass()).toBeNull()
  })

  it('maps a refused name to bad_request and keeps no pass', async () => {
    setup()
    const session = useSessionStore()
    await expectApiError(session.startLesson(' '), 'bad_request', server.url)
    await expectApiError(session.startLesson('x'.repeat(41)), 'bad_request', server.url)
    expect(session.pass).toBeNull()
  })

  it('maps an unreachable server to network', async () => {
    setup({ url: deadUrl, lanUrls: [], hosted: true })
    const session = useSessionStore()
    await expectApiError(session.startLesson('Ms Li'), 'network', deadUrl)
    await expectApiError(session.previewInvite({ code: 'K7P2QXMA', server: null }), 'network', deadUrl)
    await expectApiError(session.joinLesson({ code: 'K7P2QXMA', server: deadUrl }, 'Wei'), 'network', deadUrl)
    expect(session.pass).toBeNull()
  })
})

describe('SessionApi', () => {
  let odd: http.Server
  let oddUrl: string

  beforeAll(async () => {
    // Something that is not a Duet session server.
    odd = http.createServer((req, res) => {
      const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Content-Type' }
      if (req.method === 'OPTIONS') return res.writeHead(204, cors).end()
      if (req.url === '/api/config') return res.writeHead(200, { ...cors, 'Content-Type': 'application/json' }).end('{"version":1}')
      if (req.url?.startsWith('/api/invites/')) return res.writeHead(502, { ...cors, 'Content-Type': 'text/html' }).end('<h1>Bad gateway</h1>')
      res.writeHead(200, { ...cors, 'Content-Type': 'text/html' }).end('<html></html>')
    })
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve))
    oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => odd.close(() => resolve())))

  it('reads the public config of a real server', async () => {
    await expect(new SessionApi(server.url).config()).resolves.toMatchObject({ engine: 'builtin', tutorKeyRequired: false })
  })

  it('reports replies it cannot understand as unexpected', async () => {
    const api = new SessionApi(oddUrl)
    await expectApiError(api.config(), 'unexpected', oddUrl)
    const badGateway = await expectApiError(api.previewInvite('K7P2QXMA'), 'unexpected', oddUrl)
    expect(badGateway.message).toBe('HTTP 502')
    await expectApiError(api.createLesson('Ms Li'), 'unexpected', oddUrl)
  })
})
