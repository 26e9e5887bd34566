import { resolve } from 'node:path'
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { drawPath, expectStrokes, openBoard, strokeCount } from './boardSteps'
import { expectCameraOffTile, expectRemoteVideoPlaying, openDevicePanel } from './lessonSteps'
import { SIZES, expectAccessible, expectApart, expectFits, expectWithin, expectOneRow, sizeName, type Size } from './screenChecks'

/**
 * Every screen at 1024x640, 1280x800 and 1440x900, in English and Chinese:
 * screenshots for people to look at (test-results/screens), checks of what
 * "fits" means (nothing sticks out or runs out of its box, the room's
 * controls and the board's tools on one row), baselines for the screens that
 * do not move (home, device check, library), and, once, the behaviours the
 * room's polish promised (new invite, camera off, keys, board space, notices,
 * math fonts). One lesson per language, resized, to keep the time down.
 */

const shots = resolve('test-results', 'screens')
type Locale = 'en' | 'zh-CN'

/** The room's own parts, which must all be on screen (the room never scrolls). */
const ROOM_PARTS = ['.room-top', '.room-top button', '[data-testid="control-bar"] button', '.stage', '.board-toolbar button', '.page-strip > button', '.page-add button', '.ai-panel', '.room-notices > *', '.video-tile']

/** Keeps the page's peer connections reachable, so that the test can make a camera stop sending. */
function keepPeerConnections(): void {
  const Native = window.RTCPeerConnection
  const kept: RTCPeerConnection[] = []
  ;(window as unknown as { __duetPeers: RTCPeerConnection[] }).__duetPeers = kept
  window.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof Native>) {
      super(...args)
      kept.push(this)
    }
  }
}

/**
 * A camera that stops sending while it still counts as on (hung, or unplugged
 * without the system saying so): the video goes out with no track, then back.
 */
async function cameraSends(page: Page, sends: boolean): Promise<void> {
  await page.evaluate(async (sends) => {
    const w = window as unknown as { __duetPeers: RTCPeerConnection[]; __duetHeld?: Map<RTCRtpSender, MediaStreamTrack> }
    const held = (w.__duetHeld ??= new Map())
    for (const pc of w.__duetPeers.filter((p) => p.signalingState !== 'closed')) {
      for (const sender of pc.getSenders()) {
        if (!sends && sender.track?.kind === 'video') {
          held.set(sender, sender.track)
          await sender.replaceTrack(null)
        }
        const track = held.get(sender)
        if (sends && track) await sender.replaceTrack(track)
      }
    }
    if (sends) held.clear()
  }, sends)
}

async function person(browser: Browser, locale: Locale): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, permissions: ['camera', 'microphone'], viewport: SIZES[1] })
  await context.addInitScript(keepPeerConnections)
  return { context, page: await context.newPage() }
}

async function shot(page: Page, name: string, locale: Locale, size: Size): Promise<void> {
  await page.screenshot({ path: resolve(shots, `${name}-${locale}-${sizeName(size)}.png`) })
}

/** Waits for layout to settle after a resize (the board refits, the panel re-places). */
async function resize(page: Page, size: Size): Promise<void> {
  await page.setViewportSize(size)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

/** A baseline for a screen that should not change unnoticed; moving parts (video, meters) are masked. */
async function matchesBaseline(page: Page, name: string, locale: Locale, size: Size): Promise<void> {
  await expect(page).toHaveScreenshot(`${name}-${locale}-${sizeName(size)}.png`, {
    mask: [page.locator('.video-tile'), page.locator('.mic-meter')],
    maxDiffPixelRatio: 0.01,
  })
}

async function roomChecks(page: Page, where: string): Promise<void> {
  await expectFits(page, where, { inside: ROOM_PARTS })
  // The lesson clock (with the recording pill beside it when recording) is centred over the room.
  const [top, centre] = [await page.locator('.room-top').boundingBox(), await page.locator('.room-centre').boundingBox()]
  expect(Math.abs(centre!.x + centre!.width / 2 - (top!.x + top!.width / 2)), `${where}: clock centred`).toBeLessThan(2)
  await expectOneRow(page.getByTestId('control-bar').locator('button'), `${where}: control bar`)
  if (await page.getByTestId('board').isVisible()) await expectOneRow(page.locator('.board-toolbar > *:not(.tb-confirm)'), `${where}: board toolbar`)
}

for (const locale of ['en', 'zh-CN'] as const) {
  test(`every screen fits at three sizes (${locale})`, async ({ browser }) => {
    test.setTimeout(300_000)
    const en = locale === 'en'
    const tutor = await person(browser, locale)
    const student = await person(browser, locale)
    const t = tutor.page
    const s = student.page

    // Home and library: stable screens, with baselines.
    await t.goto('/')
    await expect(t.locator('html')).toHaveAttribute('lang', locale)
    for (const size of SIZES) {
      await resize(t, size)
      await expectFits(t, `home ${sizeName(size)}`, { inside: ['[data-testid="start-lesson"]', '.app-header select'] })
      await shot(t, 'home', locale, size)
      await matchesBaseline(t, 'home', locale, size)
    }
    await expectAccessible(t, 'home')
    await t.getByTestId('open-library').click()
    await expect(t.getByTestId('library-empty')).toBeVisible()
    for (const size of SIZES) {
      await resize(t, size)
      await expectFits(t, `library ${sizeName(size)}`)
      await shot(t, 'library', locale, size)
      await matchesBaseline(t, 'library', locale, size)
    }
    await expectAccessible(t, 'library')

    // The tutor's device check, with the invite.
    await t.goto('/')
    await t.getByTestId('tutor-name').fill(en ? 'Ms Rivera' : '王老师')
    await t.getByTestId('start-lesson').click()
    await expect(t.getByTestId('join-now')).toBeEnabled()
    for (const size of SIZES) {
      await resize(t, size)
      await expectFits(t, `tutor device check ${sizeName(size)}`, { inside: ['[data-testid="join-now"]', '[data-testid="invite-card"]'] })
      await shot(t, 'device-check-tutor', locale, size)
    }
    await expectAccessible(t, 'tutor device check')
    await t.getByTestId('join-now').click()
    await expect(t.getByTestId('room')).toBeVisible()
    // No app header in a lesson: the room has the window's whole height.
    await expect(t.locator('.app-header')).toHaveCount(0)
    for (const size of SIZES) {
      await resize(t, size)
      await roomChecks(t, `waiting room ${sizeName(size)}`)
      await shot(t, 'room-waiting', locale, size)
    }
    await expectAccessible(t, 'waiting room')

    // The focus ring shows for the keyboard only: not after a click, yes after Tab.
    const outline = (): Promise<string> => t.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)
    await t.getByTestId('toggle-mic').click()
    await t.getByTestId('toggle-mic').click()
    await expect(t.getByTestId('toggle-mic')).toBeFocused()
    expect(await outline(), 'focus ring after a click').toBe('none')
    await t.keyboard.press('Tab')
    await expect(t.getByTestId('toggle-camera')).toBeFocused()
    expect(await outline(), 'focus ring after Tab').toBe('solid')

    // One click makes a new invite; the old link then says the invite expired (not that the lesson ended).
    const card = t.getByTestId('invite-card')
    const oldUrl = (await card.getAttribute('data-invite-url')) ?? ''
    await t.getByTestId('new-invite').click()
    await expect(card).not.toHaveAttribute('data-invite-url', oldUrl)
    const url = (await card.getAttribute('data-invite-url')) ?? ''
    await s.goto(oldUrl)
    await expect(s.getByTestId('join-error')).toContainText(en ? 'This invite has expired' : '该邀请已过期')
    await shot(s, 'join-expired', locale, SIZES[1]!)

    // The student: join form, device check (centred, baseline), the depth camera explained.
    await s.goto(url)
    await s.getByTestId('student-name').fill(en ? 'Sam Lee' : '李明')
    for (const size of SIZES) {
      await resize(s, size)
      await expectFits(s, `join ${sizeName(size)}`, { inside: ['[data-testid="join-lesson"]'] })
      await shot(s, 'join', locale, size)
    }
    await expectAccessible(s, 'join')
    await s.getByTestId('join-lesson').click()
    await expect(s.getByTestId('join-now')).toBeEnabled()
    const camera = s.getByTestId('camera-select')
    // The list names the camera in use.
    await expect(camera.locator('option:checked')).toHaveText(/fake_device_0/)
    for (const size of SIZES) {
      await resize(s, size)
      await expectFits(s, `student device check ${sizeName(size)}`, { inside: ['[data-testid="join-now"]', '.device-check-main'] })
      const box = await s.locator('.device-check-main').boundingBox()
      expect(Math.abs(box!.x + box!.width / 2 - size.width / 2), 'device check centred').toBeLessThan(2)
      await shot(s, 'device-check-student', locale, size)
      await matchesBaseline(s, 'device-check-student', locale, size)
    }
    await expectAccessible(s, 'student device check')
    if (en) {
      // fake_device_1 is a depth camera: its picture cannot be sent, so Duet says so and keeps the working one.
      const depth = (await camera.locator('option', { hasText: 'fake_device_1' }).getAttribute('value')) ?? ''
      await camera.selectOption(depth)
      await expect(s.getByTestId('device-notice')).toContainText('cannot be sent')
      await expect(camera.locator('option:checked')).toHaveText(/fake_device_0/)
      await expect(camera.locator('option', { hasText: 'fake_device_1' })).toBeDisabled()
      await resize(s, SIZES[1]!)
      await shot(s, 'device-check-depth-camera', locale, SIZES[1]!)
      await s.getByTestId('device-notice').getByRole('button').last().click()
    }
    await s.getByTestId('join-now').click()
    await expect(s.getByTestId('room')).toBeVisible()
    await expectRemoteVideoPlaying(t)
    await expectRemoteVideoPlaying(s)

    // The room at each size: plain, then with the board and Ask AI open (the tightest it gets).
    for (const size of SIZES) {
      for (const page of [t, s]) await resize(page, size)
      await roomChecks(t, `room ${sizeName(size)}`)
      await shot(t, 'room-tutor', locale, size)
      await shot(s, 'room-student', locale, size)
    }
    await expectAccessible(t, 'room, tutor')
    await expectAccessible(s, 'room, student')
    await openBoard(t)
    await openBoard(s)
    await t.getByTestId('toggle-ai').click()
    await expect(t.getByTestId('ai-panel')).toBeVisible()
    for (const size of SIZES) {
      for (const page of [t, s]) await resize(page, size)
      await roomChecks(t, `room with board and Ask AI ${sizeName(size)}`)
      await roomChecks(s, `student board ${sizeName(size)}`)
      // The page fills the board's width (fit width), whatever else is open.
      const fill = await t.evaluate(() => {
        const canvas = document.querySelector('[data-testid="board-canvas"]') as HTMLCanvasElement
        return { zoom: Number(document.querySelector('[data-testid="board-zoom"]')?.textContent?.replace('%', '')), width: canvas.getBoundingClientRect().width }
      })
      expect(fill.zoom, 'board zoom').toBeGreaterThanOrEqual(Math.floor(((fill.width - 24) / 1600) * 100))
      if (size.width === 1280) expect(fill.zoom, 'zoom at 1280x800 with Ask AI').toBeGreaterThan(36)
      await shot(t, 'room-board-ai', locale, size)
      await shot(s, 'room-board-student', locale, size)
    }
    await expectAccessible(t, 'room with board and Ask AI, tutor')
    await expectAccessible(s, 'room with board, student')

    // The student turns the camera off: the tutor sees initials and "Camera off", not a frozen frame.
    for (const page of [t, s]) await resize(page, SIZES[1]!)
    await s.keyboard.press('Control+Shift+O')
    await expectCameraOffTile(t, en ? 'SL' : '李明', en ? 'Camera off' : '摄像头已关闭')
    await shot(t, 'room-camera-off', locale, SIZES[1]!)
    await s.getByTestId('toggle-camera').click()
    const cover = t.getByTestId('remote-tile').getByTestId('video-cover')
    await expect(cover).toHaveCount(0)
    // A camera that is on but stops sending is said to be so (another message), not left as a frozen frame.
    await cameraSends(s, false)
    await expect(cover).toContainText(en ? 'No picture is arriving from Sam Lee’s camera' : '没有收到 李明 的摄像头画面')
    await shot(t, 'room-camera-stalled', locale, SIZES[1]!)
    await cameraSends(s, true)
    await expect(cover).toHaveCount(0)
    await expectRemoteVideoPlaying(t)

    // The "More" menu and the shortcut sheet (?), in the narrowest room.
    await resize(t, SIZES[0]!)
    await t.getByTestId('room-more').click()
    await expect(t.getByTestId('room-more-menu')).toBeVisible()
    await expectFits(t, 'more menu', { inside: ['[data-testid="room-more-menu"]'] })
    await shot(t, 'room-more-menu', locale, SIZES[0]!)
    await expectAccessible(t, 'room more menu')
    await t.keyboard.press('Escape')
    await expect(t.getByTestId('room-more-menu')).toHaveCount(0)
    await t.keyboard.press('?')
    await expect(t.getByTestId('shortcut-sheet')).toBeVisible()
    await expect(t.getByTestId('shortcut-row-select')).toContainText('V')
    await expect(t.getByTestId('shortcut-row-mute')).toContainText('Ctrl+Shift+M')
    await expectFits(t, 'shortcut sheet', { inside: ['[data-testid="shortcut-sheet"]'] })
    await shot(t, 'shortcut-sheet', locale, SIZES[0]!)
    await expectAccessible(t, 'shortcut sheet')
    await t.keyboard.press('Escape')
    await expect(t.getByTestId('shortcut-sheet')).toHaveCount(0)
    await resize(t, SIZES[1]!)

    if (en) {
      await boardSpace(t, s)
      await recordingNotice(t, s)
      await mathFonts(t)
      // The system's dark scheme, read the same way: the room as it stands, both sides, then home.
      for (const page of [t, s]) await page.emulateMedia({ colorScheme: 'dark' })
      await expectAccessible(t, 'room, dark scheme, tutor')
      await expectAccessible(s, 'room, dark scheme, student')
      await s.goto('/')
      await expectAccessible(s, 'home, dark scheme')
    }
    for (const p of [tutor, student]) await p.context.close()
  })
}

/** The whiteboard's space: grid pages, following the tutor, ink off the page, the board back after a reload. */
async function boardSpace(t: Page, s: Page): Promise<void> {
  const board = t.getByTestId('board')
  // "#" is now a labelled control.
  await expect(t.getByTestId('add-grid')).toHaveText('Grid page')
  await t.getByTestId('add-grid').click()
  await t.getByTestId('add-grid').click()
  await expect(board).toHaveAttribute('data-page-index', '2')
  // The new page's thumbnail scrolled into sight in the strip (it was cut off behind the add buttons).
  await expectWithin(t.getByTestId('page-thumb-3'), t.getByTestId('page-list'), 'current page thumbnail')
  // A student who is not following is told where the tutor is, and follows with one click.
  await expect(s.getByTestId('board')).toHaveAttribute('data-page-index', '0')
  await expect(s.getByTestId('board-tutor-elsewhere')).toContainText('Ms Rivera is on page 3')
  await shot(s, 'board-tutor-elsewhere', 'en', SIZES[1]!)
  await s.getByTestId('follow-tutor').click()
  await expect(s.getByTestId('board')).toHaveAttribute('data-page-index', '2')
  await expect(s.getByTestId('board-tutor-elsewhere')).toHaveCount(0)

  // Ink started off the page is not silently cut: the drag moves the view and the board says why.
  const before = await strokeCount(t)
  await drawPath(t, [[0.004, 0.5], [0.2, 0.55]])
  await expect(t.getByTestId('board-off-page')).toBeVisible()
  await expectStrokes(t, before)
  await shot(t, 'board-off-page', 'en', SIZES[1]!)
  await t.getByTestId('board-zoom').click()

  // After a reload the board is open again, on the same lesson.
  await t.reload()
  await expect(t.getByTestId('board')).toBeVisible()
  await expect(t.getByTestId('board')).toHaveAttribute('data-link', 'online')
  await expectRemoteVideoPlaying(t)
}

/** The student is told about a recording where it covers no tool and cannot be missed. */
async function recordingNotice(t: Page, s: Page): Promise<void> {
  await t.getByTestId('toggle-recording').click()
  const notice = s.getByTestId('recording-notice')
  await expect(notice).toHaveAttribute('data-notice', 'started')
  for (const size of SIZES) {
    await resize(s, size)
    await expectApart(notice, s.locator('.board-toolbar'), `recording notice ${sizeName(size)}`)
    await expectApart(notice, s.getByTestId('control-bar'), `recording notice ${sizeName(size)}`)
    await roomChecks(s, `student room while recording ${sizeName(size)}`)
    await shot(s, 'recording-notice', 'en', size)
  }
  await t.getByTestId('toggle-recording').click()
  await expect(t.getByTestId('recording-indicator')).toBeHidden({ timeout: 40_000 })
}

/** Formulas use KaTeX's own fonts (served, and allowed by the CSP), not a fallback. */
async function mathFonts(t: Page): Promise<void> {
  const cspErrors: string[] = []
  t.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text())
  })
  if (!(await t.getByTestId('ai-panel').isVisible())) await t.getByTestId('toggle-ai').click()
  await t.getByTestId('ai-solver-input').fill('2x + 3 = 11')
  await t.getByTestId('ai-solver-solve').click()
  const math = t.getByTestId('ai-panel').locator('.katex').first()
  await expect(math).toBeVisible()
  const fonts = await t.evaluate(async () => {
    await document.fonts.ready
    const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, '').startsWith('KaTeX_'))
    const variable = document.querySelector('.katex .mathnormal')
    return {
      loaded: faces.filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, '')),
      failed: faces.filter((f) => f.status === 'error').map((f) => f.family),
      variableFont: variable ? getComputedStyle(variable).fontFamily : '',
    }
  })
  expect(fonts.failed).toEqual([])
  expect(fonts.loaded).toEqual(expect.arrayContaining(['KaTeX_Main', 'KaTeX_Math']))
  expect(fonts.variableFont).toContain('KaTeX_Math')
  expect(cspErrors).toEqual([])
  await t.getByTestId('ai-panel').screenshot({ path: resolve(shots, 'math-en.png') })
  await openDevicePanel(t)
  await expect(t.getByTestId('room-camera-select').locator('option:checked')).toHaveText(/fake_device_0/)
  await shot(t, 'device-panel', 'en', SIZES[1]!)
}
