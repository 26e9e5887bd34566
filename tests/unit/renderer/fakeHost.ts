import { vi } from 'vitest'
import type { Host, LessonServerInfo } from '../../../src/renderer/host/Host'
import type { ParsedInvite } from '../../../src/shared/lesson/invite'
import type { NotificationRequest } from '../../../src/shared/notifications'
import { EMPTY_POLICY_VIEW, type PolicyView } from '../../../src/shared/policy/view'
import { DEFAULT_SETTINGS, sanitizeSettings, type Settings, type SettingsPatch } from '../../../src/shared/settings'

/** An in-memory Host for store tests; every method is a spy. */
export function fakeHost(opts: { settings?: Settings; server?: LessonServerInfo; policy?: PolicyView } = {}) {
  let saved: Settings = structuredClone(opts.settings ?? DEFAULT_SETTINGS)
  let server: LessonServerInfo = opts.server ?? { url: 'http://127.0.0.1:1', lanUrls: [], hosted: true }
  const settingsListeners = new Set<(s: Settings) => void>()
  const policyListeners = new Set<(p: PolicyView) => void>()
  const host = {
    kind: 'web' as const,
    app: {
      version: () => '0.0.0-test',
      lessonServer: vi.fn(async (): Promise<LessonServerInfo> => server),
      onInvite: vi.fn((_listener: (invite: ParsedInvite) => void) => () => {}),
      setLessonActive: vi.fn(async (_active: boolean) => {}),
    },
    settings: {
      get: vi.fn(async (): Promise<Settings> => structuredClone(saved)),
      update: vi.fn(async (patch: SettingsPatch): Promise<Settings> => {
        saved = sanitizeSettings({ ...saved, ...patch })
        return structuredClone(saved)
      }),
      onChange: vi.fn((listener: (s: Settings) => void) => (settingsListeners.add(listener), () => void settingsListeners.delete(listener))),
    },
    policy: {
      get: vi.fn(async (): Promise<PolicyView> => opts.policy ?? EMPTY_POLICY_VIEW),
      onChange: vi.fn((listener: (p: PolicyView) => void) => (policyListeners.add(listener), () => void policyListeners.delete(listener))),
    },
    screen: {
      onPickerRequest: vi.fn(() => () => {}),
      answerPicker: vi.fn(async () => {}),
      refreshSources: vi.fn(async () => []),
      setSharingBar: vi.fn(async (_visible: boolean) => {}),
      onStopRequest: vi.fn((_listener: () => void) => () => {}),
    },
    permissions: {
      get: vi.fn(async () => ({ camera: 'granted', microphone: 'granted', screen: 'granted', canOpenSettings: false }) as const),
      openSettings: vi.fn(async () => {}),
    },
    recording: {
      storage: 'local' as const,
      open: vi.fn(async () => ({ ok: true as const, recordingId: 'rec-00000001', file: 'recording.webm', freeBytes: null })),
      write: vi.fn(async (_id: string, _seq: number, data: Uint8Array) => ({ ok: true as const, bytes: data.length, freeBytes: null, lowSpace: false })),
      thumbnail: vi.fn(async () => {}),
      close: vi.fn(async () => ({ file: 'recording.webm', status: 'ready' as const, durationMs: 1000, problem: null })),
    },
    library: {
      saveMeta: vi.fn(async () => {}),
      addMarker: vi.fn(async () => {}),
      addFile: vi.fn(async () => {}),
      list: vi.fn(async () => []),
      rename: vi.fn(async () => {}),
      delete: vi.fn(async () => {}),
      reveal: vi.fn(async () => {}),
      export: vi.fn(async () => true),
      fileUrl: (id: string, file: string) => `app://duet/_library/${id}/${file}`,
    },
    notifications: {
      show: vi.fn(async (_request: NotificationRequest) => true),
    },
  } satisfies Host
  return {
    host,
    saved: () => saved,
    setServer: (value: LessonServerInfo) => void (server = value),
    /** Main pushes a policy change (and the settings it changed). */
    pushPolicy: (policy: PolicyView, settings?: Settings) => {
      if (settings) {
        saved = settings
        settingsListeners.forEach((l) => l(structuredClone(settings)))
      }
      policyListeners.forEach((l) => l(policy))
    },
  }
}
