import { expect, test } from '@playwright/test'

test('bad invites get a clear message and nothing else happens', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('invite-input').fill('hello there')
  await page.getByTestId('join-continue').click()
  await expect(page.getByTestId('join-error')).toContainText('8 letters and digits')

  // Right shape, but no such lesson.
  await page.getByTestId('invite-input').fill('zzzz-2345')
  await page.getByTestId('join-continue').click()
  await expect(page).toHaveURL(/\/join\/ZZZZ2345$/)
  await expect(page.getByTestId('join-error')).toContainText('No lesson has that invite code')
})

test('a tutor must give a name before starting', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('tutor-name').fill('   ')
  await page.getByTestId('start-lesson').click()
  await expect(page.getByTestId('start-error')).toContainText('enter your name')
  await expect(page.getByTestId('invite-card')).toHaveCount(0)
})

test('the app follows the browser language and can be switched; the choice is kept', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' })
  const page = await context.newPage()
  await page.goto('/')
  await expect(page.getByRole('heading', { name: '开始上课' })).toBeVisible()
  await page.getByTestId('language').selectOption('en')
  await expect(page.getByRole('heading', { name: 'Start a lesson' })).toBeVisible()
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Start a lesson' })).toBeVisible()
  await context.close()
})
