import { expect, test } from '@playwright/test'
import { expectCameraOffTile, expectRemoteVideoPlaying, lessonInProgress, newPerson, openDevicePanel, tileView, tutorAtDeviceCheck } from './lessonSteps'

test('mute and camera off are shown to the other side; devices can be switched mid-lesson', async ({ browser }) => {
  const { tutor, student, close } = await lessonInProgress(browser)
  await expectRemoteVideoPlaying(student.page)

  // Ctrl+Shift+M mutes (as in Teams); the student sees it.
  await tutor.page.keyboard.press('Control+Shift+M')
  await expect(tutor.page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'true')
  await expect(student.page.getByTestId('peer-muted')).toBeVisible()
  await tutor.page.getByTestId('toggle-mic').click()
  await expect(student.page.getByTestId('peer-muted')).toHaveCount(0)

  // Camera off stops the tutor's camera track (light off); the student sees the tutor's initials
  // and "Camera off" instead of the last frame, frozen.
  await tutor.page.getByTestId('toggle-camera').click()
  await expectCameraOffTile(student.page, 'MR', 'Camera off')
  await expectCameraOffTile(tutor.page, 'MR', 'Camera off', 'self-tile')
  await tutor.page.keyboard.press('Control+Shift+O')
  await expect(student.page.getByTestId('remote-tile')).not.toContainText('Camera off')
  await expect(student.page.getByTestId('video-cover')).toHaveCount(0)
  await expectRemoteVideoPlaying(student.page)

  // Switch the tutor's camera to another (colour) camera during the lesson; video keeps flowing.
  await openDevicePanel(tutor.page)
  const select = tutor.page.getByTestId('room-camera-select')
  // The panel names the camera in use, not just "System default".
  await expect(select.locator('option:checked')).toHaveText(/fake_device_0/)
  const other = await select.locator('option', { hasText: 'fake_device_2' }).getAttribute('value')
  expect(other).toBeTruthy()
  await select.selectOption(other!)
  await expect
    .poll(async () => (await tileView(tutor.page, 'self-tile')).deviceId)
    .toBe(other!)
  await expectRemoteVideoPlaying(student.page)

  await close()
})

test('the device choice is remembered for the next lesson', async ({ browser }) => {
  const tutor = await newPerson(browser)
  await tutorAtDeviceCheck(tutor.page, 'Ms Rivera')
  const select = tutor.page.getByTestId('camera-select')
  const options = await select.locator('option').evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value).filter(Boolean))
  const second = options[options.length - 1]!
  await select.selectOption(second)
  await tutor.page.goto('/')
  await tutor.page.getByTestId('start-lesson').click()
  await expect(tutor.page.getByTestId('camera-select')).toHaveValue(second)
  await expect(tutor.page.getByTestId('tutor-name')).toHaveCount(0)
  await tutor.context.close()
})
