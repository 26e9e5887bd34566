import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

const UNIT = 'tests/unit'

/**
 * Test files that change what other files would see: they mock modules, stub
 * globals or the environment, install fake timers, patch prototypes or listen
 * on the process. They keep a module graph of their own (vitest's default).
 * Read from the files themselves, so a new test that starts doing so is
 * isolated without anyone remembering to list it.
 */
const TOUCHES_GLOBALS = /\bvi\.(mock|doMock|stubGlobal|stubEnv|useFakeTimers)\(|\bprocess\.(on|once)\(|\.prototype\.\w+\s*=[^=]/
const isolatedFiles = readdirSync(UNIT, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => join(UNIT, file))
  .filter((file) => TOUCHES_GLOBALS.test(readFileSync(file, 'utf8')))

export default defineConfig({
  plugins: [vue()],
  test: {
    environment: 'node',
    // Two test files at a time on two cores (vitest's default is one fewer than the cores): one
    // file alone leaves a core idle while it waits on its servers, databases and sockets.
    maxWorkers: 2,
    // Worker threads start faster than child processes (vitest's default): 244 → 215 s for the suite.
    pool: 'threads',
    // A server with a data folder opens an embedded database (about a second of CPU, far more on a loaded machine).
    testTimeout: 30_000,
    // ...and more in beforeAll/beforeEach hooks that start such a server: at load 14 (two engineers'
    // network benchmarks beside the suite) lessonSocket's server took over 30 s to open.
    hookTimeout: 60_000,
    // expect.poll waits for behaviour, not for a time: 1 s (the default) is too short for a server
    // answering 21 messages through PostgreSQL on two cores at load 16.
    expect: { poll: { timeout: 15_000 } },
    // One real PostgreSQL server for the run: the data layer's suites run against it and PGlite alike.
    globalSetup: ['tests/support/postgresSetup.ts'],
    reporters: process.env.CI_REPORT ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      // Over half the suite's time was each file importing its modules afresh (import 140 s of 240 s):
      // files that leave no trace share one module graph per worker.
      { extends: true, test: { name: 'shared', include: [`${UNIT}/**/*.test.ts`], exclude: isolatedFiles, isolate: false } },
      { extends: true, test: { name: 'isolated', include: isolatedFiles } },
    ],
  },
})
