import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // Two test files at a time on two cores (vitest's default is one fewer than the cores): one
    // file alone leaves a core idle while it waits on its servers, databases and sockets.
    maxWorkers: 2,
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
  },
})
