import { vi } from 'vitest'

/**
 * The recording and library parts of the IPC surface as spies, for tests
 * that build a whole handler map, bridge or handler deps (one spread each).
 */
const OPENED = { ok: true as const, recordingId: 'rec-00000001', file: 'recording.webm', freeBytes: null }
const WRITTEN = { ok: true as const, bytes: 1, freeBytes: null, lowSpace: false }

export function fakeRecordingHandlers() {
  return {
    'duet:recording:open': vi.fn(async () => OPENED),
    'duet:recording:write': vi.fn(async () => WRITTEN),
    'duet:recording:thumbnail': vi.fn(async () => undefined),
    'duet:recording:close': vi.fn(async () => null),
    'duet:library:saveMeta': vi.fn(async () => undefined),
    'duet:library:addMarker': vi.fn(async () => undefined),
    'duet:library:addFile': vi.fn(async () => undefined),
    'duet:library:list': vi.fn(async () => []),
    'duet:library:rename': vi.fn(async () => undefined),
    'duet:library:delete': vi.fn(async () => undefined),
    'duet:library:reveal': vi.fn(async () => undefined),
    'duet:library:export': vi.fn(async () => false),
  }
}

/** The recording capability's spies: the same four calls on the bridge and in main's handler deps. */
function recordingSpies() {
  return {
    open: vi.fn(async () => OPENED),
    write: vi.fn(async () => WRITTEN),
    thumbnail: vi.fn(async () => undefined),
    close: vi.fn(async () => null),
  }
}

export function fakeRecordingBridge() {
  return {
    recording: recordingSpies(),
    library: {
      saveMeta: vi.fn(async () => undefined),
      addMarker: vi.fn(async () => undefined),
      addFile: vi.fn(async () => undefined),
      list: vi.fn(async () => []),
      rename: vi.fn(async () => undefined),
      delete: vi.fn(async () => undefined),
      reveal: vi.fn(async () => undefined),
      export: vi.fn(async () => false),
    },
  }
}

export function fakeRecordingDeps() {
  return {
    recording: recordingSpies(),
    library: {
      list: vi.fn(async () => []),
      saveMeta: vi.fn(async () => undefined),
      addMarker: vi.fn(async () => undefined),
      addFile: vi.fn(async () => undefined),
      rename: vi.fn(async () => undefined),
      remove: vi.fn(async () => undefined),
      reveal: vi.fn(),
      export: vi.fn(async () => false),
    },
  }
}
