import { vi, type Mock } from 'vitest'
import type { Logger } from '../../../src/shared/logger'

type LogFn = (...args: unknown[]) => void

export function fakeLogger(): Logger & { info: Mock<LogFn>; warn: Mock<LogFn>; error: Mock<LogFn> } {
  return { info: vi.fn<LogFn>(), warn: vi.fn<LogFn>(), error: vi.fn<LogFn>() }
}

export const APP_PAGE = 'app://duet/index.html'
export const DEV_ORIGIN = 'http://localhost:5173'
