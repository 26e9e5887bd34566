import { expect, test } from '@playwright/test'
import { NetLab } from '../netlab/lab'
import { startLabServer, type LabServer } from '../netlab/labServer'
import { startLabLesson, type LabLesson } from '../netlab/lesson'
import { describeFreeze, diagnoseFreeze } from '../netlab/freezes'
import { framesSince, lastFrameAt, pageEvidence, receiveStats } from '../netlab/probe'
import { OUTAGE, PEOPLE, type Person, type ProfileName } from '../netlab/profiles'
import { chooseLanguage } from './lessonSteps'
import { TcpProxy } from './tcpProxy'

/**
 * Lessons through the network lab: coturn on loopback behind the impairment
 * relay, relay-only ICE, each person in a Chromium of their own (see
 * tests/netlab). The built web client and coturn must be installed.
 */

const NAMES = { tutor: 'Ms Li', student: 'Wei' }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

let lab: NetLab | null = null
let server: LabServer | null = null
let lesson: LabLesson | null = null
/** The student reaches the session server through this, so a test can take their device off the network. */
let studentWay: TcpProxy | null = null

async function labLesson(profile: ProfileName): Promise<LabLesson> {
  lab = await NetLab.start({ profile })
  server = await startLabServer(lab, { tuning: true })
  studentWay = new TcpProxy(Number(new URL(server.url).port))
  lesson = await startLabLesson(lab, server.url, { names: NAMES, studentOrigin: await studentWay.start() })
  return lesson
}

test.afterEach(async () => {
  await lesson?.close()
  await studentWay?.stop()
  await server?.stop()
  await lab?.stop()
  lesson = null
  studentWay = null
  server = null
  lab = null
})

/**
 * The other person's camera renders new frames on `person`'s page (at least `min` in the last
 * `windowMs`). When it does not, the failure says why, from both pages' probes (the lab's freeze
 * diagnosis: the sender's camera and encoder, the network, key frames, the receiver, the machine).
 */
async function videoMoving(pages: LabLesson['pages'], person: Person, windowMs: number, min: number): Promise<void> {
  const from = Date.now() - windowMs
  const frames = await framesSince(pages[person], from)
  let why = ''
  if (frames.length < min) {
    const sender = PEOPLE.find((p) => p !== person)!
    const [received, sent] = await Promise.all([pageEvidence(pages[person], from - 5000), pageEvidence(pages[sender], from - 5000)])
    const start = received.frames.filter((f) => f.t < from).at(-1)?.t ?? from
    why = ` (${frames.length}; since the last frame before: ${describeFreeze(diagnoseFreeze(start, Date.now(), received, sent), start)})`
  }
  expect(frames.length, `frames of the other camera in the last ${windowMs} ms${why}`).toBeGreaterThanOrEqual(min)
}

test('a lesson on a 4G edge link keeps both pictures moving and both voices live for 30 s', async () => {
  test.setTimeout(150_000)
  const { pages } = await labLesson('4g-edge')
  let before = await Promise.all(PEOPLE.map((p) => receiveStats(pages[p])))
  for (let second = 5; second <= 30; second += 5) {
    await sleep(5000)
    const now = await Promise.all(PEOPLE.map((p) => receiveStats(pages[p])))
    for (const [i, person] of PEOPLE.entries()) {
      // Moving: at least 2 frames a second on average in every 5 s (a slideshow fails this).
      await videoMoving(pages, person, 5000, 10)
      const [a, b] = [before[i]!.audio, now[i]!.audio]
      expect(b, `${person} receives audio`).not.toBeNull()
      // Live voice: packets keep arriving and carry sound (the fake microphone beeps).
      expect(b!.packetsReceived - (a?.packetsReceived ?? 0), `${person}: audio packets in 5 s`).toBeGreaterThan(100)
      expect(b!.totalAudioEnergy - (a?.totalAudioEnergy ?? 0), `${person}: audio energy in 5 s`).toBeGreaterThan(0)
      expect(now[i]!.openConnections).toBe(1)
    }
    before = now
  }
  // Voice first: each side sends redundant audio (RED around Opus), and Opus carries in-band FEC.
  for (const stats of before) expect(stats.audioSent).toEqual({ mimeType: 'audio/red', opusFec: true })
})

/**
 * The student's link is gone from now for the profile's 10 s: both rooms say the connection was lost, and
 * when it returns both pictures move again soon, with nobody pressing anything, on one peer connection.
 * `deviceOffline`: the student's whole device is off the network meanwhile, as when Wi-Fi goes: their
 * lesson socket drops too, and their browser is offline (it says "online" when the link is back).
 */
async function outageRecovers(pages: LabLesson['pages'], when: string, deviceOffline = false): Promise<void> {
  const backAt = lab!.cut('student', OUTAGE.durationMs)
  const outageAt = backAt - OUTAGE.durationMs
  const device = pages.student.context()
  if (deviceOffline) {
    studentWay!.drop()
    await device.setOffline(true)
  }
  await sleep(outageAt - Date.now() + 500)
  for (const person of PEOPLE) {
    await expect(pages[person].getByTestId('room-banner'), `${when}: ${person}'s room says so`).toContainText('Reconnecting', { timeout: 5000 })
  }
  // The premise: the student's lesson socket went down with the link (the tutor's room hears they are away).
  if (deviceOffline) await expect(pages.tutor.getByTestId('room')).not.toHaveAttribute('data-peer-presence', 'present', { timeout: backAt - Date.now() })
  await sleep(backAt - Date.now())
  if (deviceOffline) {
    studentWay!.restore()
    await device.setOffline(false)
  }
  for (const person of PEOPLE) {
    await expect.poll(() => lastFrameAt(pages[person]), { timeout: 10_000, message: `${when}: ${person} sees the other picture again` }).toBeGreaterThan(backAt)
  }
  // Moving again, as in the 4g-edge test (2 frames a second at least; a loaded machine's fake camera gives ~20).
  await sleep(5000)
  for (const person of PEOPLE) {
    await videoMoving(pages, person, 5000, 10)
    await expect(pages[person].getByTestId('room-banner')).toHaveCount(0)
    await expect(pages[person].getByTestId('room')).toHaveAttribute('data-peer-presence', 'present')
    // One peer connection, one picture: no duplicate streams after the recovery.
    const stats = await receiveStats(pages[person])
    expect(stats.openConnections).toBe(1)
    const tracks = await pages[person].getByTestId('remote-tile').locator('video').evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream).getTracks().length)
    expect(tracks).toBe(2)
  }
}

test('a lesson through outages, in its first seconds, mid-lesson and with the student’s device offline, says so and recovers by itself each time the link returns', async () => {
  test.setTimeout(200_000)
  const { pages, startedAt } = await labLesson('outage')
  // A student whose Wi-Fi drops just after joining: a second after both pictures first moved. On a
  // young connection both browsers check the path every 0.9 s, so both give it up at the same moment.
  await sleep(startedAt + 1000 - Date.now())
  await outageRecovers(pages, 'in the first seconds')
  // Mid-lesson, at the profile's 20 s (a few seconds later if the first recovery was slow).
  await sleep(Math.max(startedAt + OUTAGE.atMs - Date.now(), 3000))
  await outageRecovers(pages, 'mid-lesson')
  // Later, the student's Wi-Fi goes: the lesson socket drops with the media path, and both come back together.
  await sleep(3000)
  await outageRecovers(pages, 'with the student offline', true)
})

test("the weak-link message names the person whose connection is weak, on both screens, in their language", async () => {
  test.setTimeout(150_000)
  // Only the student's upstream is weak.
  const { pages } = await labLesson('student-uplink')
  await expect(pages.tutor.getByTestId('weak-link')).toHaveAttribute('data-side', 'peer', { timeout: 40_000 })
  await expect(pages.tutor.getByTestId('weak-link')).toHaveText("Wei's connection is weak: video lowered to keep audio clear")
  await expect(pages.student.getByTestId('weak-link')).toHaveAttribute('data-side', 'self', { timeout: 10_000 })
  await expect(pages.student.getByTestId('weak-link')).toHaveText('Your connection is weak: video lowered to keep audio clear')
  // The quality indicator shows each side's link.
  await pages.tutor.getByTestId('quality').getByRole('button').click()
  await expect(pages.tutor.getByTestId('link-peer')).toHaveAttribute('data-quality', 'poor')
  await expect(pages.tutor.getByTestId('link-self')).not.toHaveAttribute('data-quality', 'poor')
  await pages.tutor.screenshot({ path: test.info().outputPath('weak-link-tutor.png') })
  // The student reads it in Chinese after switching the language.
  await chooseLanguage(pages.student, 'zh-CN')
  await expect(pages.student.getByTestId('weak-link')).toHaveText('你的网络较弱：已降低视频画质，优先保证声音清晰')
  await pages.student.screenshot({ path: test.info().outputPath('weak-link-student-zh.png') })
})
