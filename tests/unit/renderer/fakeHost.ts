import { vi } from 'vitest'
import type { Host, LessonServerInfo } from '../../../src/renderer/host/Host'
import type { ParsedInvite } from '../../../src/shared/invite'
import { DEFAULT_SETTINGS, sanitizeSettings, type Settings, type SettingsPatch } from '../../../src/shared/settings'

/** An in-memory Host for store tests; every method is a spy. */
export function fakeHost(opts: { settings?: Settings; server?: LessonServerInfo } = {}) {
  let saved: Settings = structuredClone(opts.settings ?? DEFAULT_SETTINGS)
  let server: LessonServerInfo = opts.server ?? { url: 'http://127.0.0.1:1', lanUrls: [] }
  const host = {
    kind: 'web' as const,
    getSettings: vi.fn(async (): Promise<Settings> => structuredClone(saved)),
    updateSettings: vi.fn(async (patch: SettingsPatch): Promise<Settings> => {
      saved = sanitizeSettings({ ...saved, ...patch })
      return structuredClone(saved)
    }),
    lessonServer: vi.fn(async (): Promise<LessonServerInfo> => server),
    onInvite: vi.fn((_listener: (invite: ParsedInvite) => void) => () => {}),
    setLessonActive: vi.fn(async (_active: boolean) => {}),
    appVersion: () => '0.0.0-test',
    onScreenPickerRequest: vi.fn(() => () => {}),
    answerScreenPicker: vi.fn(async () => {}),
    refreshScreenSources: vi.fn(async () => []),
    setSharingBar: vi.fn(async (_visible: boolean) => {}),
    onStopSharingRequest: vi.fn(() => () => {}),
    mediaPermissions: vi.fn(async () => ({ camera: 'granted', microphone: 'granted', screen: 'granted', canOpenSettings: false }) as const),
    openPermissionSettings: vi.fn(async () => {}),
  } satisfies Host
  return {
    host,
    saved: () => saved,
    setServer: (value: LessonServerInfo) => void (server = value),
  }
}
