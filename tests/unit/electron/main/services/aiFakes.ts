import { vi } from 'vitest'
import type { AiConnectionTestResult, DesktopAiSettings } from '../../../../../src/shared/ai/desktopSettings'

/** Fakes for the desktop AI settings channels, spread into the shared IPC fakes (like recordingFakes). */
export const AI_VIEW: DesktopAiSettings = {
  baseUrl: null,
  model: null,
  vision: false,
  allowPractice: true,
  studentPractice: false,
  apiKeySet: false,
  keyStorage: 'none',
  locked: [],
  policyError: null,
  osEncryption: true,
  applies: 'on-start',
}
const TESTED: AiConnectionTestResult = { ok: true, ms: 5, model: 'm', reply: 'OK' }

export function fakeAiHandlers() {
  return {
    'duet:aiSettings:get': vi.fn(() => AI_VIEW),
    'duet:aiSettings:update': vi.fn(async () => AI_VIEW),
    'duet:aiSettings:test': vi.fn(async () => TESTED),
  }
}

export function fakeAiBridge() {
  return {
    aiSettings: {
      get: vi.fn(async () => AI_VIEW),
      update: vi.fn(async () => AI_VIEW),
      testConnection: vi.fn(async () => TESTED),
    },
  }
}

export function fakeAiDeps() {
  return {
    aiSettings: {
      view: vi.fn(() => AI_VIEW),
      update: vi.fn(async () => AI_VIEW),
      testConnection: vi.fn(async () => TESTED),
    },
  }
}
