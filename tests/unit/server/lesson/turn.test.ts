import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../../support/sessionServerProcess'
import { TestClient, createLesson, fakeClock, serversClosedAfterEach } from '../helpers'

/**
 * Short-lived TURN credentials, checked by a real coturn (Debian's `coturn`,
 * run with use-auth-secret on loopback) and its own TURN client: what the
 * lesson socket hands a participant allocates a relay; a tampered or
 * expired credential does not.
 */
const SECRET = 'test-only-turn-secret-0123456789'
const start = serversClosedAfterEach()
let coturn: ChildProcess
let turnPort: number

beforeAll(async () => {
  turnPort = await freePort()
  const relayBase = 49_200 + (turnPort % 400)
  coturn = spawn('turnserver', [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${turnPort}`,
    `--min-port=${relayBase}`, `--max-port=${relayBase + 40}`, '--use-auth-secret', `--static-auth-secret=${SECRET}`,
    '--realm=duet.test', '--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers', '--log-file=stdout', '--simple-log',
  ], { stdio: 'ignore' })
  // Ready when it answers a STUN binding request (its own client, as a user's browser would ask).
  const deadline = Date.now() + 15_000
  for (;;) {
    const answered = await promisify(execFile)('turnutils_stunclient', ['-p', String(turnPort), '127.0.0.1'], { timeout: 2000 }).then(
      ({ stdout }) => /reflexive addr/.test(stdout),
      () => false,
    )
    if (answered) break
    if (Date.now() > deadline || coturn.exitCode !== null) throw new Error('coturn did not start')
    await new Promise((r) => setTimeout(r, 200))
  }
}, 20_000)
afterAll(() => {
  coturn?.kill()
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
