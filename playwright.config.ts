import { defineConfig } from '@playwright/test'
import { E2E_CHROMIUM_ARGS, chromiumExecutable } from './tests/support/chromium'

const PORT = Number(process.env.E2E_PORT ?? 47311)
export const E2E_ORIGIN = `http://127.0.0.1:${PORT}`

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Every test holds two or three live video calls; on 2 cores one test at a time keeps them honest.
  workers: 1,
  retries: 0,
  reporter: process.env.CI_REPORT ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]] : [['list']],
  use: {
    baseURL: E2E_ORIGIN,
    browserName: 'chromium',
    permissions: ['camera', 'microphone'],
    launchOptions: { executablePath: chromiumExecutable(), args: E2E_CHROMIUM_ARGS },
    // A failed test keeps its trace (every action with the page's DOM before and after) and a
    // screenshot of the moment it failed, but not the trace's film strip: that records every page
    // with a screencast, which makes Chromium's compositor copy every frame of two live video calls
    // and took about as much CPU as the lessons themselves (chat.spec 66 s with it, 36 s without).
    // Not in CI: recording every test's trace to keep a failed one's costs 5-10 % of the suite's
    // time (six specs, 2026-12-07), and CI keeps only its log; a failure there is reproduced here.
    trace: process.env.CI ? 'off' : { mode: 'retain-on-failure', screenshots: false },
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 800 },
  },
  webServer: {
    // The standalone session server serving the built web client (npm test builds it first), as
    // `npm run server` runs it: the server's bundle is built from the sources here (about a second).
    // It stops when the runner goes, even a killed one (untilStdinCloses.mjs).
    command: `npx tsx scripts/build-server.ts && node tests/support/untilStdinCloses.mjs node --enable-source-maps dist/server/main.mjs --host 127.0.0.1 --port ${PORT} --public-url ${E2E_ORIGIN} --web-root dist/web --data-dir test-results/e2e-data`,
    url: `${E2E_ORIGIN}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
  },
})
