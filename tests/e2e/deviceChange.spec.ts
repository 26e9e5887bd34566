import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { expectVideoPlaying, newPerson, studentJoins, tileView, tutorAtDeviceCheck, tutorStartsLesson } from './lessonSteps'

type CameraLog = { cameraTracks?: MediaStreamTrack[] }

/** Keeps every camera track the app opens, so a test can end one as an unplug would. */
async function logCameraTracks(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const media = navigator.mediaDevices
    const open = media.getUserMedia.bind(media)
    media.getUserMedia = async (constraints) => {
      const stream = await open(constraints)
      const log = window as unknown as CameraLog
      log.cameraTracks = [...(log.cameraTracks ?? []), ...stream.getVideoTracks()]
      return stream
    }
  })
}

/**
 * Chromium's fake devices cannot be unplugged, so the page's device list is
 * narrowed and the camera track ends, which is what a real unplug looks like
 * to the app (the track fires "ended", the device list changes).
 */
async function unplugCamera(page: Page, label: string): Promise<void> {
  await page.evaluate((gone) => {
    const media = navigator.mediaDevices
    const original = media.enumerateDevices.bind(media)
    ;(window as unknown as { restoreDevices: () => void }).restoreDevices = () => {
      media.enumerateDevices = original
      media.dispatchEvent(new Event('devicechange'))
    }
    media.enumerateDevices = async () => (await original()).filter((d) => d.label !== gone)
    const track = (window as unknown as CameraLog).cameraTracks?.find((t) => t.label === gone && t.readyState === 'live')
    track?.stop()
    track?.dispatchEvent(new Event('ended'))
  }, label)
}

test('an unplugged camera falls back to the next one and says so; a new camera is offered', async ({ browser }) => {
  const tutor = await newPerson(browser)
  const student = await newPerson(browser)
  await logCameraTracks(tutor.context)

  // The tutor prefers fake_device_2 and starts the lesson with it.
  const invite = await tutorAtDeviceCheck(tutor.page, 'Ms Rivera')
  await tutor.page.getByTestId('camera-select').selectOption({ label: 'fake_device_2' })
  await tutor.page.getByTestId('join-now').click()
  await studentJoins(student.page, invite.url, 'Sam')
  await expectVideoPlaying(student.page, 'remote-tile')

  await unplugCamera(tutor.page, 'fake_device_2')
  await expect(tutor.page.getByTestId('device-notice')).toContainText('fake_device_2 was disconnected. Switched to fake_device_0')
  const selfLabel = async () => (await tileView(tutor.page, 'self-tile')).label
  await expect.poll(selfLabel).toBe('fake_device_0')
  await expectVideoPlaying(student.page, 'remote-tile')

  // Plugged back in: offered, and one click uses it.
  await tutor.page.evaluate(() => (window as unknown as { restoreDevices: () => void }).restoreDevices())
  await expect(tutor.page.getByTestId('device-notice')).toContainText('New camera available: fake_device_2')
  await tutor.page.getByTestId('device-notice').getByRole('button', { name: 'Use it' }).click()
  await expect.poll(selfLabel).toBe('fake_device_2')
  await expectVideoPlaying(student.page, 'remote-tile')

  for (const person of [tutor, student]) await person.context.close()
})

test('a camera the system refuses is explained; the student joins with the microphone only', async ({ browser }) => {
  const student = await newPerson(browser)
  const tutor = await newPerson(browser)
  // What a browser does when the user blocked the camera but allowed the microphone.
  await student.page.addInitScript(() => {
    const media = navigator.mediaDevices
    const original = media.getUserMedia.bind(media)
    media.getUserMedia = async (constraints) => {
      if (constraints?.video) throw new DOMException('Permission denied', 'NotAllowedError')
      return original(constraints)
    }
  })
  const invite = await tutorStartsLesson(tutor.page, 'Ms Rivera')

  await student.page.goto(invite.url)
  await student.page.getByTestId('student-name').fill('Sam')
  await student.page.getByTestId('join-lesson').click()
  await expect(student.page.getByTestId('video-problem')).toContainText('microphone only')
  await student.page.getByTestId('join-now').click()
  // The tutor hears the student (audio flows) and sees that the camera is off.
  await expect(tutor.page.getByTestId('remote-tile')).toContainText('Camera off')
  await expect(student.page.getByTestId('toggle-mic')).toBeEnabled()
  await expectVideoPlaying(student.page, 'remote-tile')

  for (const person of [tutor, student]) await person.context.close()
})
