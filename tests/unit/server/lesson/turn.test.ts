import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCoturn, type Coturn } from '../../../netlab/coturn'
import { TestClient, createLesson, fakeClock, serversClosedAfterEach } from '../helpers'

/**
 * Short-lived TURN credentials, checked by a real coturn (Debian's `coturn`,
 * run with use-auth-secret on loopback, as the network lab runs it) and its
 * own TURN client: what the lesson socket hands a participant allocates a
 * relay; a tampered or expired credential does not.
 */
const SECRET = 'test-only-turn-secret-0123456789'
const start = serversClosedAfterEach()
let dir: string
let coturn: Coturn
let turnPort: number

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duet-turn-test-'))
  coturn = await startCoturn({ dir, auth: { kind: 'secret', secret: SECRET } })
  turnPort = coturn.port
}, 20_000)
afterAll(async () => {
  await coturn?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** True when coturn let this username/password allocate a relay and carry packets. */
async function allocates(username: string, credential: string): Promise<boolean> {
  const { stdout, stderr } = await promisify(execFile)('turnutils_uclient', ['-p', String(turnPort), '-u', username, '-w', credential, '-n', '2', '-m', '1', '-y', '-e', '127.0.0.1', '-X', '127.0.0.1'], { timeout: 15_000 }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }))
  const out = `${stdout}${stderr}`
  return !/Cannot complete Allocation/.test(out) && /tot_recv_bytes ~ [1-9]/.test(out)
}

describe('TURN credentials from the shared secret', () => {
  it('each participant gets their own credential in the welcome, and coturn accepts it', async () => {
    const server = await start({ turn: { urls: [`turn:127.0.0.1:${turnPort}?transport=udp`], secret: SECRET, ttlSeconds: 3600 } })
    const lesson = await createLesson(server)
    const tutor = await TestClient.join(server, lesson.tutorToken)
    const welcome = await tutor.next('welcome')
    const turn = welcome.iceServers.find((s) => String(s.urls).startsWith('turn:'))
    expect(turn?.username).toMatch(new RegExp(`^\\d+:${welcome.self.id}$`))
    expect(await allocates(turn?.username ?? '', turn?.credential ?? '')).toBe(true)
    expect(await allocates(turn?.username ?? '', `x${turn?.credential ?? ''}`)).toBe(false)
    tutor.close()
  }, 40_000)

  it('an expired credential is refused', async () => {
    const clock = fakeClock(Date.now() - 3 * 3_600_000)
    const server = await start({ now: clock.now, turn: { urls: [`turn:127.0.0.1:${turnPort}`], secret: SECRET, ttlSeconds: 3600 } })
    const lesson = await createLesson(server)
    const tutor = await TestClient.join(server, lesson.tutorToken)
    const turn = (await tutor.next('welcome')).iceServers.find((s) => s.username)
    expect(await allocates(turn?.username ?? '', turn?.credential ?? '')).toBe(false)
    tutor.close()
  }, 40_000)
})
