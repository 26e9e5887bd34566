import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test'

export interface Person {
  context: BrowserContext
  page: Page
}

/**
 * A fresh browser profile, as a separate person on a separate machine would
 * have. `origin`: the session server they use when it is not the test's own
 * (a server of the spec's, a proxy in front of one).
 */
export async function newPerson(browser: Browser, origin?: string): Promise<Person> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], ...(origin ? { baseURL: origin } : {}) })
  const page = await context.newPage()
  if (process.env.E2E_CONSOLE) page.on('console', (m) => console.log(`[${process.env.E2E_CONSOLE}:${m.type()}] ${m.text()}`))
  return { context, page }
}

export interface Invite {
  code: string
  url: string
}

/** Tutor: home → name → Start lesson → the device check, which shows the invite (not joined yet). */
export async function tutorAtDeviceCheck(page: Page, name: string): Promise<Invite> {
  await page.goto('/')
  await page.getByTestId('tutor-name').fill(name)
  await page.getByTestId('start-lesson').click()
  const card = page.getByTestId('invite-card')
  await expect(card).toBeVisible()
  const code = (await card.getAttribute('data-invite-code')) ?? ''
  const url = (await card.getAttribute('data-invite-url')) ?? ''
  expect(code).toMatch(/^[2-9A-Z]{8}$/)
  await expect(page.getByTestId('join-now')).toBeEnabled()
  return { code, url }
}

/** Tutor: home → name → Start lesson → device check (shows the invite) → Join. */
export async function tutorStartsLesson(page: Page, name: string): Promise<Invite> {
  const invite = await tutorAtDeviceCheck(page, name)
  await page.getByTestId('join-now').click()
  await expect(page.getByTestId('room')).toBeVisible()
  return invite
}

/** The tutor presses End lesson and confirms: the summary follows. */
export async function tutorEndsLesson(page: Page): Promise<void> {
  await page.getByTestId('end-lesson').click()
  await page.getByTestId('end-confirm-yes').click()
  await expect(page.getByTestId('summary')).toBeVisible()
}

/** The same invite link, reached through another origin (a proxy in front of the session server). */
function through(origin: string, url: string): string {
  return url.replace(new URL(url).origin, origin)
}

/** Student: open the invite link → name → device check → Join. */
export async function studentJoins(page: Page, inviteUrl: string, name: string): Promise<void> {
  await page.goto(inviteUrl)
  await expect(page.getByTestId('join-title')).toBeVisible()
  await page.getByTestId('student-name').fill(name)
  await page.getByTestId('join-lesson').click()
  await expect(page.getByTestId('join-now')).toBeEnabled()
  await page.getByTestId('join-now').click()
  await expect(page.getByTestId('room')).toBeVisible()
}

export interface LessonInProgress {
  tutor: Person
  student: Person
  invite: Invite
  /** Closes both people's browsers. */
  close(): Promise<void>
}

export interface LessonOptions {
  tutorName?: string
  studentName?: string
  /** The session server both use when it is not the test's own (a server of the spec's, a proxy). */
  origin?: string
  /** The student alone reaches the server here (a proxy the test can cut). */
  studentVia?: string
}

/** The usual start: a tutor starts a lesson, a student joins with the invite, both are in the room. */
export async function lessonInProgress(browser: Browser, opts: LessonOptions = {}): Promise<LessonInProgress> {
  const tutor = await newPerson(browser, opts.origin)
  const student = await newPerson(browser, opts.origin)
  const invite = await tutorStartsLesson(tutor.page, opts.tutorName ?? 'Ms Rivera')
  const via = opts.studentVia ?? opts.origin
  await studentJoins(student.page, via ? through(via, invite.url) : invite.url, opts.studentName ?? 'Sam')
  return { tutor, student, invite, close: () => closeAll(tutor, student) }
}

export async function closeAll(...people: Person[]): Promise<void> {
  await Promise.all(people.map((person) => person.context.close()))
}

/**
 * What a video tile shows: a <video> element, or (secondary tiles in
 * Chromium) a canvas a worker paints, which reports the same facts as data
 * attributes.
 */
export interface TileView {
  frames: number
  width: number
  height: number
  deviceId: string
  label: string
}

export function tileView(page: Page, tile: string): Promise<TileView> {
  return page.getByTestId(tile).evaluate((el) => {
    const canvas = el.querySelector('canvas')
    if (canvas) {
      const d = canvas.dataset
      return { frames: Number(d.frames), width: Number(d.width), height: Number(d.height), deviceId: d.deviceId ?? '', label: d.trackLabel ?? '' }
    }
    const video = el.querySelector('video') as HTMLVideoElement
    const track = (video.srcObject as MediaStream | null)?.getVideoTracks()[0]
    return {
      frames: video.videoWidth > 0 ? video.getVideoPlaybackQuality().totalVideoFrames : 0,
      width: video.videoWidth,
      height: video.videoHeight,
      deviceId: track?.getSettings().deviceId ?? '',
      label: track?.label ?? '',
    }
  })
}

async function framesShown(page: Page, tile: string): Promise<number> {
  return (await tileView(page, tile)).frames
}

/** A video tile is playing: frames keep arriving, not a frozen picture. */
export async function expectVideoPlaying(page: Page, tile: string, minNewFrames = 5): Promise<void> {
  await expect.poll(() => framesShown(page, tile), { timeout: 20_000 }).toBeGreaterThan(0)
  const before = await framesShown(page, tile)
  await expect.poll(() => framesShown(page, tile), { timeout: 10_000 }).toBeGreaterThan(before + minNewFrames)
}

/** The other person's camera is playing. */
export function expectRemoteVideoPlaying(page: Page): Promise<void> {
  return expectVideoPlaying(page, 'remote-tile')
}

/** The picture size a video tile is showing, as the decoder delivers it. */
export async function videoSize(page: Page, tile: string): Promise<{ width: number; height: number }> {
  const { width, height } = await tileView(page, tile)
  return { width, height }
}

/** The other person's microphone reaches us: a live remote audio track with bytes flowing. */
export async function expectRemoteAudioLive(page: Page): Promise<void> {
  const remoteAudio = () =>
    page.getByTestId('remote-tile').locator('video, audio').evaluate((media: HTMLMediaElement) => {
      const stream = media.srcObject as MediaStream | null
      const track = stream?.getAudioTracks()[0]
      return track ? { state: track.readyState, muted: track.muted } : null
    })
  // A remote track unmutes once its first RTP packets arrive.
  await expect.poll(remoteAudio, { timeout: 15_000 }).toEqual({ state: 'live', muted: false })
  await page.getByTestId('quality').getByRole('button').click()
  await expect.poll(async () => Number((await page.getByTestId('stat-audio-kbps').textContent())?.replace(/[^\d]/g, '') || 0), { timeout: 15_000 }).toBeGreaterThan(5)
  await page.getByTestId('quality').getByRole('button').click()
}

/**
 * A camera that is off looks off: the tile shows the person's initials and
 * `message` over a hidden video (no frozen last frame).
 */
export async function expectCameraOffTile(page: Page, initials: string, message: string | RegExp, tile = 'remote-tile'): Promise<void> {
  const cover = page.getByTestId(tile).getByTestId('video-cover')
  await expect(cover).toBeVisible()
  await expect(cover.locator('.video-avatar')).toHaveText(initials)
  await expect(cover).toContainText(message)
  await expect(page.getByTestId(tile).locator('video, canvas').first()).toBeHidden()
}

/** The room's device panel (in the control bar's "More" menu). */
export async function openDevicePanel(page: Page): Promise<void> {
  await page.getByTestId('room-more').click()
  await page.getByTestId('open-devices').click()
  await expect(page.getByTestId('device-panel')).toBeVisible()
}

/** Switches the language: from the header outside a lesson, from the control bar's "More" menu inside one. */
export async function chooseLanguage(page: Page, locale: 'en' | 'zh-CN'): Promise<void> {
  if (await page.getByTestId('room').isVisible()) {
    await page.getByTestId('room-more').click()
    await page.getByTestId(`language-${locale}`).click()
  } else {
    await page.getByTestId('language').selectOption(locale)
  }
  await expect(page.locator('html')).toHaveAttribute('lang', locale)
}
