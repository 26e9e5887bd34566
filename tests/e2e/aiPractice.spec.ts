import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { expect, test, type Browser, type Page } from '@playwright/test'
import { startAiServer, type ServerProcess } from '../support/aiServerProcess'
import { aiEnvFor, startFakeModel, type FakeModel } from '../support/fakeModel'
import { expectAccessible } from './screenChecks'

// "Ask AI" outside lessons: from the home screen, on a practice pass, against
// a local fake OpenAI-streaming model (and a server with no model for the
// offline solver); and the desktop AI settings screen with a fake bridge.
let fake: FakeModel
let server: ServerProcess
let offline: ServerProcess
const shot = (name: string): string => resolve(process.env.AI_SCREENSHOTS ?? 'test-results', name)

test.beforeAll(async () => {
  fake = await startFakeModel()
  server = await startAiServer(resolve('dist/web'), {
    ...aiEnvFor(fake),
    DUET_AI_QUESTIONS_PER_DAY: '20',
    // The school lets students practise outside lessons (off unless a tutor or policy turns it on).
    DUET_AI_STUDENT_PRACTICE: 'true',
  })
  offline = await startAiServer(resolve('dist/web'), { DUET_AI_OLLAMA_URL: 'off', DUET_AI_STUDENT_PRACTICE: 'true' })
})
test.afterAll(async () => {
  await server?.stop()
  await offline?.stop()
  await fake?.close()
})
test.beforeEach(() => {
  fake.requests.length = 0
  fake.fallback = { tokens: ['Good', ' question', '!'] }
})

async function open(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, acceptDownloads: true })
  return { context, page: await context.newPage() }
}

const answers = (page: Page) => page.getByTestId('ai-msg-assistant')
const lastAnswerText = async (page: Page) => ((await answers(page).last().getByTestId('ai-answer').textContent()) ?? '').trim()
const systemOf = (i: number) => String((fake.requests[i]?.body.messages as { content: unknown }[])[0]?.content)

async function ask(page: Page, question: string): Promise<void> {
  await page.getByTestId('ai-input').fill(question)
  await page.getByTestId('ai-input').press('Enter')
}

test('from the home screen: ask outside a lesson, tokens stream, Esc keeps the partial answer, mode is the person’s, export Markdown, saved across a reload', async ({ browser }) => {
  const { context, page } = await open(browser, server.url)
  await page.goto('/')
  await page.getByTestId('open-ai-practice').click()
  await expect(page).toHaveURL(/\/practice$/)
  await expect(page.getByTestId('ai-panel')).toBeVisible()
  // A browser is a student: hints first, but the person may choose; daily count shown; no board to attach.
  await expect(page.getByTestId('ai-mode-hint-first')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ai-model')).toHaveText('fake-tutor-1')
  await expect(page.getByTestId('ai-quota')).toHaveText('20 of 20 questions left today')
  await expect(page.getByTestId('ai-attach')).toBeVisible()
  await expect(page.getByTestId('ai-attach-board')).toHaveCount(0)
  await expect(page.getByTestId('ai-empty')).toContainText('hints first')

  const words = Array.from({ length: 80 }, (_, i) => `step${i} `)
  fake.script({ tokens: words, delayMs: 60, holdAfter: 60 })
  await ask(page, 'How do I solve 3x - 5 = 10?')
  await expect.poll(() => lastAnswerText(page)).toContain('step2')
  const early = (await lastAnswerText(page)).length
  await expect.poll(async () => (await lastAnswerText(page)).length).toBeGreaterThan(early)
  await expect(page.getByTestId('ai-panel')).toHaveAttribute('data-phase', 'streaming')
  await page.keyboard.press('Escape')
  await expect(answers(page).last()).toHaveAttribute('data-status', 'stopped')
  await fake.waitFor(() => fake.requests[0]?.aborted === true)
  const partial = await lastAnswerText(page)
  expect(partial).toMatch(/^step0 step1 step2/)
  expect(partial).not.toContain('step79')
  expect(systemOf(0)).toMatch(/Teach, do not solve/)

  // The person switches to direct answers; the next prompt changes.
  await page.getByTestId('ai-mode-direct').click()
  await expect(page.getByTestId('ai-mode-direct')).toHaveAttribute('aria-pressed', 'true')
  await ask(page, 'Just tell me x')
  await expect(answers(page).last()).toHaveAttribute('data-status', 'complete')
  expect(await lastAnswerText(page)).toBe('Good question!')
  expect(systemOf(1)).toMatch(/Answer the question directly/)
  await expect(page.getByTestId('ai-quota')).toHaveText('18 of 20 questions left today')
  await page.screenshot({ path: shot('ai-practice-en.png') })
  await expectAccessible(page, 'ai-practice-en')

  // Export Markdown: the conversation, with the stopped answer marked.
  const downloading = page.waitForEvent('download')
  await page.getByTestId('ai-export').click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^duet-ai-\d{4}-\d{2}-\d{2}\.md$/)
  const markdown = await readFile(await download.path(), 'utf8')
  expect(markdown).toContain('How do I solve 3x - 5 = 10?')
  expect(markdown).toContain('step0 step1 step2')
  expect(markdown).toContain('Good question!')
  expect(markdown).toMatch(/Practice, /)

  // Saved on the server for this device's pass: a reload shows it again.
  await page.reload()
  await expect(answers(page)).toHaveCount(2)
  await expect(answers(page).first()).toHaveAttribute('data-status', 'stopped')
  await expect(page.getByTestId('ai-mode-direct')).toHaveAttribute('aria-pressed', 'true')

  // zh-CN, then Ctrl+Shift+A goes back home and opens it again.
  await page.getByTestId('language').selectOption('zh-CN')
  await expect(page.getByTestId('ai-mode')).toContainText('回答方式')
  await page.screenshot({ path: shot('ai-practice-zh-CN.png') })
  await page.keyboard.press('Control+Shift+A')
  await expect(page.getByTestId('start-form')).toBeVisible()
  await page.keyboard.press('Control+Shift+A')
  await expect(page.getByTestId('ai-panel')).toBeVisible()
  await context.close()
})

test('with no model, the practice screen says so and the offline solver shows the steps', async ({ browser }) => {
  const { context, page } = await open(browser, offline.url)
  await page.goto('/')
  await page.keyboard.press('Control+Shift+A')
  await expect(page.getByTestId('ai-offline')).toContainText('No AI model is set up')
  await expect(page.getByTestId('ai-offline')).toContainText('This server has no AI model')
  await expect(page.getByTestId('ai-composer')).toHaveCount(0)
  // Answer modes are for the model; the solver has none to choose.
  await expect(page.getByTestId('ai-mode')).toHaveCount(0)
  await page.getByTestId('ai-solver-input').fill('2x + 3 = 11')
  await page.getByTestId('ai-solver-solve').click()
  const steps = page.getByTestId('ai-solver-step')
  await expect(steps).toHaveCount(1)
  await page.getByTestId('ai-solver-all').click()
  await expect(page.getByTestId('ai-solver-answer')).toContainText('x=4')
  expect(await steps.count()).toBeGreaterThan(1)
  await page.screenshot({ path: shot('ai-practice-offline-en.png') })
  await context.close()
})

/** A stand-in for the desktop preload's window.duet, so the settings screen renders in a browser. */
function fakeDesktopBridge(): void {
  const view = {
    baseUrl: 'https://llm.school.example/v1',
    model: 'qwen2.5-14b',
    vision: false,
    allowPractice: true,
    apiKeySet: false,
    keyStorage: 'none',
    locked: ['baseUrl', 'model'],
    policyError: null,
    osEncryption: true,
    applies: 'on-start',
  }
  /** The school's policy as main sends it (PolicyView): it sets the AI address and model. */
  const policy = {
    enforced: ['AiBaseUrl', 'AiModel'],
    recommended: [],
    lockedSettings: [],
    adminContact: 'IT desk, ext. 1234',
    askAiOutsideLessons: true,
    keepStudentLinks: true,
    onlyServer: null,
    problems: [],
    sources: ['/etc/duet/policy.json'],
  }
  const calls: unknown[] = []
  const settings = { locale: null, displayName: 'Ms Rivera', devices: { cameraId: null, microphoneId: null, speakerId: null }, serverUrl: null, lanAccess: false, updateMode: 'auto', updateChannel: 'stable' }
  const known: Record<string, Record<string, (arg?: unknown) => Promise<unknown>>> = {
    policy: { get: async () => policy },
    settings: {
      get: async () => settings,
      update: async (patch) => Object.assign(settings, patch),
    },
    app: {
      ensureLessonServer: async () => ({ url: location.origin, lanUrls: [], hosted: true }),
      inviteReady: async () => [],
    },
    aiSettings: {
      get: async () => view,
      update: async (patch) => {
        calls.push(patch)
        const p = patch as { apiKey?: string | null; vision?: boolean }
        if (p.apiKey) Object.assign(view, { apiKeySet: true, keyStorage: 'encrypted' })
        if (p.vision !== undefined) view.vision = p.vision
        return { ...view, applies: 'live' }
      },
      testConnection: async (request) => {
        calls.push({ test: request })
        await new Promise((r) => setTimeout(r, 1200))
        return { ok: true, ms: 412, model: 'qwen2.5-14b', reply: 'OK' }
      },
    },
  }
  // Every other method of every group answers undefined.
  const group = (methods: Record<string, (arg?: unknown) => Promise<unknown>>) =>
    new Proxy(methods, { get: (target, key) => (key in target ? target[key as string] : async () => undefined) })
  const bridge = { appVersion: '0.1.0', on: () => () => {} } as Record<string, unknown>
  for (const name of ['app', 'settings', 'screen', 'permissions', 'recording', 'library', 'aiSettings', 'policy', 'updates', 'notifications']) bridge[name] = group(known[name] ?? {})
  Object.assign(window, { duet: bridge, duetCalls: calls })
}

test('desktop AI settings: locked policy fields, the key goes in and is never shown, test connection with progress (screenshots en, zh-CN)', async ({ browser }) => {
  const { context, page } = await open(browser, server.url)
  await page.addInitScript(fakeDesktopBridge)
  await page.goto('/')
  await page.getByTestId('open-ai-settings').click()
  await expect(page.getByTestId('ai-settings-managed')).toBeVisible()
  await expect(page.getByTestId('ai-settings-baseUrl')).toBeDisabled()
  await expect(page.getByTestId('ai-settings-baseUrl')).toHaveValue('https://llm.school.example/v1')
  await expect(page.getByTestId('lock-model')).toBeVisible()
  await expect(page.getByTestId('ai-settings-apiKey')).toBeEnabled()
  await page.getByTestId('ai-settings-apiKey').fill('sk-typed-by-tutor-123')
  await page.getByTestId('ai-settings-vision').check()
  await page.getByTestId('ai-settings-save').click()
  await expect(page.getByTestId('ai-settings-saved')).toHaveText('Saved. The lesson server uses it from the next question.')
  // Only the fields the tutor may change were sent; the key field is empty again and only says a key is set.
  expect(await page.evaluate(() => (window as unknown as { duetCalls: unknown[] }).duetCalls)).toEqual([{ vision: true, apiKey: 'sk-typed-by-tutor-123' }])
  await expect(page.getByTestId('ai-settings-apiKey')).toHaveValue('')
  await expect(page.getByTestId('ai-settings-key-note')).toContainText('encrypted by the operating system')
  await page.getByTestId('ai-settings-test').click()
  await expect(page.getByTestId('ai-settings-test')).toContainText('Testing')
  await expect(page.getByTestId('ai-settings-test-result')).toHaveText('✓ Connected: qwen2.5-14b answered in 412 ms.')
  await page.screenshot({ path: shot('ai-settings-en.png') })
  await expectAccessible(page, 'ai-settings-en')
  await page.getByTestId('language').selectOption('zh-CN')
  await expect(page.getByTestId('ai-settings')).toContainText('AI 设置')
  await page.screenshot({ path: shot('ai-settings-zh-CN.png') })
  await context.close()

  // In a plain browser there are no desktop AI settings: the link is not there.
  const web = await open(browser, server.url)
  await web.page.goto('/')
  await expect(web.page.getByTestId('open-ai-practice')).toBeVisible()
  await expect(web.page.getByTestId('open-ai-settings')).toHaveCount(0)
  await web.context.close()
})
