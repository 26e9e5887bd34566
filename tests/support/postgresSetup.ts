import type { TestProject } from 'vitest/node'
import { startTestPostgres } from './postgres'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's PostgreSQL server (tests/support/postgres.ts); each test file makes its own database there. */
    postgresUrl: string
  }
}

/** vitest globalSetup: one PostgreSQL server for the whole run, stopped at its end. */
export default async function setup(project: TestProject): Promise<() => void> {
  const postgres = await startTestPostgres()
  project.provide('postgresUrl', postgres.url)
  return () => postgres.stop()
}
