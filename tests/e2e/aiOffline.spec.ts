import { resolve } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startAiServer, type ServerProcess } from '../support/aiServerProcess'
import { startFakeModel, type FakeModel } from '../support/fakeModel'
import { chooseLanguage, lessonInProgress } from './lessonSteps'

// A session server with no AI model: the panel says so, the offline solver
// gives hints one step at a time, and a local Ollama (faked) is one click away.
let ollama: FakeModel
let server: ServerProcess
const shot = (name: string): string => resolve(process.env.AI_SCREENSHOTS ?? 'test-results', name)

test.beforeAll(async () => {
  ollama = await startFakeModel({ tokens: ['Local', ' model', ' here.'] })
  ollama.ollamaModels = ['qwen2.5:7b', 'nomic-embed-text']
  server = await startAiServer(resolve('dist/web'), { DUET_AI_OLLAMA_URL: ollama.url })
})
test.afterAll(async () => {
  await server?.stop()
  await ollama?.close()
})

async function openPanel(page: Page): Promise<void> {
  await page.getByTestId('toggle-ai').click()
  await expect(page.getByTestId('ai-panel')).toBeVisible()
}

test('with no model the panel says so and the offline solver hints step by step; a local Ollama is offered to the tutor', async ({ browser }) => {
  const { tutor, student, close } = await lessonInProgress(browser, { origin: server.url })
  await openPanel(student.page)
  await openPanel(tutor.page)

  await expect(student.page.getByTestId('ai-offline')).toContainText('No AI model is set up')
  await expect(student.page.getByTestId('ai-offline')).toContainText('not an AI')
  await expect(student.page.getByTestId('ai-composer')).toHaveCount(0)
  await expect(student.page.getByTestId('ai-ollama-offer')).toHaveCount(0)
  // No model, no promise about how a model answers ("the full solution after asking twice").
  await expect(student.page.getByTestId('ai-mode')).toHaveCount(0)
  await expect(student.page.getByTestId('ai-panel')).not.toContainText('asking twice')

  // One hint at a time, then the answer.
  await student.page.getByTestId('ai-solver-input').fill('Solve 2x + 3 = 11')
  await student.page.getByTestId('ai-solver-solve').click()
  const steps = student.page.getByTestId('ai-solver-step')
  await expect(steps).toHaveCount(1)
  await expect(steps.first()).toContainText('Subtract the same from both sides')
  await student.page.getByTestId('ai-solver-next').click()
  await expect(steps).toHaveCount(2)
  await expect(student.page.getByTestId('ai-solver-answer')).toHaveCount(0)
  await student.page.screenshot({ path: shot('ai-solver-en.png') })
  await student.page.getByTestId('ai-solver-all').click()
  await expect(student.page.getByTestId('ai-solver-answer')).toContainText('x=4')

  // What it cannot do, it says.
  await student.page.getByTestId('ai-solver-input').fill('Why is the sky blue?')
  await student.page.getByTestId('ai-solver-solve').click()
  await expect(student.page.getByTestId('ai-solver-refused')).toContainText('does not look like arithmetic or algebra')
  await chooseLanguage(student.page, 'zh-CN')
  await student.page.getByTestId('ai-solver-input').fill('x^2 = 4')
  await student.page.getByTestId('ai-solver-solve').click()
  await expect(student.page.getByTestId('ai-solver-refused').last()).toContainText('无法给出这道题的步骤')
  await expect(steps.first()).toContainText('两边同时减去同一个数')
  await student.page.screenshot({ path: shot('ai-solver-zh-CN.png') })

  // The tutor's one click: the local model answers both of them from now on.
  const offer = tutor.page.getByTestId('ai-use-ollama')
  await expect(offer).toHaveText('Use local Ollama (qwen2.5:7b)')
  await offer.click()
  await expect(tutor.page.getByTestId('ai-model')).toHaveText('qwen2.5:7b')
  await expect(student.page.getByTestId('ai-composer')).toBeVisible()
  await student.page.getByTestId('ai-input').fill('你好')
  await student.page.getByTestId('ai-input').press('Enter')
  await expect(student.page.getByTestId('ai-msg-assistant').last()).toHaveAttribute('data-status', 'complete')
  expect(ollama.requests.at(-1)?.body.model).toBe('qwen2.5:7b')
  expect(ollama.requests.at(-1)?.path).toBe('/v1/chat/completions')

  await close()
})
