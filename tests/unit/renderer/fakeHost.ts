import { vi } from 'vitest'
import type { Host, LessonServerInfo } from '../../../src/renderer/host/Host'
import type { ParsedInvite } from '../../../src/shared/lesson/invite'
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
    recordingStorage: 'local' as const,
    recordingOpen: vi.fn(async () => ({ ok: true as const, recordingId: 'rec-00000001', file: 'recording.webm', freeBytes: null })),
    recordingWrite: vi.fn(async (_id: string, _seq: number, data: Uint8Array) => ({ ok: true as const, bytes: data.length, freeBytes: null, lowSpace: false })),
    recordingThumbnail: vi.fn(async () => {}),
    recordingClose: vi.fn(async () => ({ file: 'recording.webm', status: 'ready' as const, durationMs: 1000, problem: null })),
    librarySaveMeta: vi.fn(async () => {}),
    libraryAddMarker: vi.fn(async () => {}),
    libraryAddFile: vi.fn(async () => {}),
    libraryList: vi.fn(async () => []),
    libraryRename: vi.fn(async () => {}),
    libraryDelete: vi.fn(async () => {}),
    libraryReveal: vi.fn(async () => {}),
    libraryExport: vi.fn(async () => true),
    libraryFileUrl: (id: string, file: string) => `app://duet/_library/${id}/${file}`,
  } satisfies Host
  return {
    host,
    saved: () => saved,
    setServer: (value: LessonServerInfo) => void (server = value),
  }
}
