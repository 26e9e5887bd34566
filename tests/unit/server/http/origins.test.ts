import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiErrorSchema } from '../../../../src/shared/errors'
import { DESKTOP_APP_ORIGIN } from '../../../../src/shared/appOrigin'
import { freePort, serverUrl, spawnSessionServer, stopProcess } from '../../../support/sessionServerProcess'
import { TestClient } from '../helpers'

/**
 * Who may call the server, against a real server process set up as the
 * desktop app sets up its embedded one (a tutor key): a web page of another
 * site gets nothing (no CORS, no lesson, no AI pass), a LAN caller without
 * the key gets no lesson and no tutor pass, the app itself gets both.
 */
const TUTOR_KEY = 'k'.repeat(12) + 'e'.repeat(20)
let child: ChildProcess
let url: string
let port: number

beforeAll(async () => {
  port = await freePort()
  child = await spawnSessionServer({ port, webRoot: '', dataDir: '', clearEnvPrefix: 'DUET_', env: { DUET_TUTOR_KEYS: TUTOR_KEY } })
  url = serverUrl(port)
}, 90_000)
afterAll(() => stopProcess(child))

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
async function errorCode(res: Response): Promise<string> {
  return ApiErrorSchema.parse(await res.json()).error.code
}

describe('origins, the tutor key and practice passes', () => {
  it('answers CORS for the desktop app only; another site gets no CORS and no answer', async () => {
    const fromApp = await fetch(`${url}/api/lessons`, { method: 'OPTIONS', headers: { Origin: DESKTOP_APP_ORIGIN, 'Access-Control-Request-Method': 'POST' } })
    expect(fromApp.status).toBe(204)
    expect(fromApp.headers.get('access-control-allow-origin')).toBe(DESKTOP_APP_ORIGIN)
    expect(fromApp.headers.get('access-control-allow-credentials')).toBeNull()
    const evil = 'https://evil.example'
    const preflight = await fetch(`${url}/api/ai/practice/pass`, { method: 'OPTIONS', headers: { Origin: evil, 'Access-Control-Request-Method': 'POST' } })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    expect(preflight.status).toBe(403)
    // Even a request a browser would send without asking first is refused outright.
    const pass = await fetch(`${url}/api/ai/practice/pass`, json({ role: 'tutor' }, { Origin: evil, Authorization: `Bearer ${TUTOR_KEY}` }))
    expect(pass.status).toBe(403)
    expect(await errorCode(pass)).toBe('origin_not_allowed')
    const lesson = await fetch(`${url}/api/lessons`, json({ tutorName: 'Ms Li' }, { Origin: evil, Authorization: `Bearer ${TUTOR_KEY}` }))
    expect(await errorCode(lesson)).toBe('origin_not_allowed')
    // The server's own pages (the web client it serves) are same-origin and fine.
    expect((await fetch(`${url}/api/config`, { headers: { Origin: url } })).status).toBe(200)
  })

  it('refuses a lesson socket opened by another site', async () => {
    await expect(TestClient.connect({ port, url }, { headers: { Origin: 'https://evil.example' } })).rejects.toThrow(/403/)
  })

  it('starts lessons and gives tutor passes only with the tutor key', async () => {
    const config = await (await fetch(`${url}/api/config`)).json()
    expect(config).toMatchObject({ tutorKeyRequired: true })
    const noKey = await fetch(`${url}/api/lessons`, json({ tutorName: 'Ms Li' }))
    expect(noKey.status).toBe(401)
    expect(await errorCode(noKey)).toBe('tutor_key_required')
    const wrongKey = await fetch(`${url}/api/lessons`, json({ tutorName: 'Ms Li' }, { Authorization: `Bearer ${'x'.repeat(32)}` }))
    expect(wrongKey.status).toBe(401)
    expect((await fetch(`${url}/api/lessons`, json({ tutorName: 'Ms Li' }, { Authorization: `Bearer ${TUTOR_KEY}` }))).status).toBe(200)

    // Loopback alone is not the app: without the key a "tutor" asking for a pass is a student,
    // and students practise only when the tutor or a policy turns it on (here it is off).
    const asStudent = await fetch(`${url}/api/ai/practice/pass`, json({ role: 'tutor' }))
    expect(asStudent.status).toBe(403)
    expect(await errorCode(asStudent)).toBe('ai_practice_disabled')
    const tutorPass = await fetch(`${url}/api/ai/practice/pass`, json({ role: 'tutor' }, { Authorization: `Bearer ${TUTOR_KEY}` }))
    expect(tutorPass.status).toBe(200)
    expect(await tutorPass.json()).toMatchObject({ role: 'tutor' })
  })
})
