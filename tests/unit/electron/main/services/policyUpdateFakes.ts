import { vi } from 'vitest'
import { EMPTY_POLICY_VIEW } from '../../../../../src/shared/policy/view'
import type { UpdateStatus } from '../../../../../src/shared/update'

/** Fakes for the policy and update channels, spread into the shared IPC fakes (like aiFakes). */
export const UPDATE_STATUS: UpdateStatus = {
  phase: 'idle',
  mode: 'auto',
  channel: 'stable',
  currentVersion: '0.1.0',
  next: null,
  percent: null,
  error: null,
  lastChecked: null,
  lessonRunning: false,
  canRestart: false,
  installWindow: null,
  managedByPolicy: false,
}

export function fakePolicyUpdateHandlers() {
  return {
    'duet:policy:get': vi.fn(() => EMPTY_POLICY_VIEW),
    'duet:update:status': vi.fn(() => UPDATE_STATUS),
    'duet:update:check': vi.fn(async () => UPDATE_STATUS),
    'duet:update:download': vi.fn(async () => UPDATE_STATUS),
    'duet:update:install': vi.fn(() => {}),
  }
}

export function fakePolicyUpdateBridge() {
  return {
    policy: { get: vi.fn(async () => EMPTY_POLICY_VIEW) },
    updates: {
      status: vi.fn(async () => UPDATE_STATUS),
      check: vi.fn(async () => UPDATE_STATUS),
      download: vi.fn(async () => UPDATE_STATUS),
      install: vi.fn(async () => {}),
    },
  }
}

export function fakePolicyUpdateDeps() {
  return {
    policy: { view: vi.fn(() => EMPTY_POLICY_VIEW) },
    updates: {
      status: vi.fn(() => UPDATE_STATUS),
      check: vi.fn(async () => UPDATE_STATUS),
      download: vi.fn(async () => UPDATE_STATUS),
      install: vi.fn(),
    },
  }
}
