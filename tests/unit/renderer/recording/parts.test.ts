// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { cropCover, fitContain, layoutFor } from '../../../../src/renderer/recording/layout'
import type { LibraryItem } from '../../../../src/renderer/recording/librarySource'
import { isPlayable, lessonMs, markerKindKey, markersFor, otherName, recordedMs } from '../../../../src/renderer/recording/libraryView'
import { formatBytes } from '../../../../src/renderer/ui/format'
import { codeKey } from '../../../../src/renderer/recording/problemKey'
import { pickMimeType } from '../../../../src/renderer/recording/recorder'
import { forgetKeys, loadKeys, saveKeys } from '../../../../src/renderer/recording/webLibraryKeys'
import type { LibraryRecording } from '../../../../src/shared/recording/library'
import { LESSON_ID, meta } from '../../shared/recording/helpers'

function part(overrides: Partial<LibraryRecording> = {}): LibraryRecording {
  return { file: 'recording.webm', startedAt: 1_000_000, durationMs: 60_000, status: 'ready', problem: null, mimeType: 'video/webm', thumbnail: null, sizeBytes: 5000, ...overrides }
}

function item(overrides: Partial<LibraryItem> = {}): LibraryItem {
  return {
    id: LESSON_ID,
    record: { ...meta(), version: 1, title: null, createdAt: 1, durationMs: 90_000, recordings: [] },
    damaged: null,
    recordings: [part()],
    extraFiles: [],
    markers: [],
    sizeBytes: 5000,
    canManage: true,
    viewerRole: 'tutor',
    ...overrides,
  }
}

describe('recording layout', () => {
  it('puts shared content left and both cameras in a column on the right', () => {
    const layout = layoutFor('content', 2)
    expect(layout.mainFit).toBe('contain')
    expect(layout.main).toEqual({ x: 0, y: 0, w: 1016, h: 720 })
    expect(layout.tiles).toHaveLength(2)
    for (const tile of layout.tiles) {
      expect(tile.x + tile.w).toBe(1280)
      expect(tile.w / tile.h).toBeCloseTo(16 / 9, 1)
    }
    // Tiles do not overlap and stay on the canvas.
    expect(layout.tiles[1]!.y).toBeGreaterThanOrEqual(layout.tiles[0]!.y + layout.tiles[0]!.h)
    expect(layout.tiles[1]!.y + layout.tiles[1]!.h).toBeLessThanOrEqual(720)
  })

  it('lets the other person fill the frame with one’s own camera in the corner', () => {
    const layout = layoutFor('camera', 1)
    expect(layout).toMatchObject({ main: { x: 0, y: 0, w: 1280, h: 720 }, mainFit: 'cover' })
    expect(layout.tiles[0]).toEqual({ x: 1280 - 16 - 320, y: 720 - 16 - 180, w: 320, h: 180 })
  })

  it('fits a 4:3 screen inside and crops a portrait camera to fill', () => {
    expect(fitContain(1024, 768, { x: 0, y: 0, w: 1016, h: 720 })).toEqual({ x: 28, y: 0, w: 960, h: 720 })
    const crop = cropCover(720, 1280, { x: 0, y: 0, w: 320, h: 180 })
    expect(crop.w / crop.h).toBeCloseTo(16 / 9)
    expect(crop.x).toBe(0)
  })
})

describe('library screen helpers', () => {
  it('offers to play what has a file, not what is missing or being written', () => {
    expect(isPlayable(part())).toBe(true)
    expect(isPlayable(part({ status: 'repaired', problem: { code: 'interrupted', detail: '' } }))).toBe(true)
    expect(isPlayable(part({ status: 'damaged', problem: { code: 'file-missing', detail: '' }, sizeBytes: 0 }))).toBe(false)
    expect(isPlayable(part({ status: 'damaged', problem: { code: 'not-webm', detail: '' } }))).toBe(false)
    expect(isPlayable(part({ status: 'damaged', problem: { code: 'no-space-to-finish', detail: '' } }))).toBe(true)
    expect(isPlayable(part({ status: 'recording' }))).toBe(false)
  })

  it('names the other person from the viewer’s side and tells lesson and recording length apart', () => {
    expect(otherName(item())).toBe('Wei')
    expect(otherName(item({ viewerRole: 'student' }))).toBe('Ms Li')
    expect(lessonMs(item())).toBe(90_000)
    expect(recordedMs(item({ recordings: [part(), part({ file: 'recording-2.webm', durationMs: 5000 })] }))).toBe(65_000)
    expect(recordedMs(item({ recordings: [part({ durationMs: null })] }))).toBeNull()
  })

  it('places markers on the recording they fall in', () => {
    const lesson = item({
      markers: [
        { at: 1_000_000, kind: 'recording-start', label: 'recording.webm' },
        { at: 1_005_500, kind: 'screen-share-start', label: 'Ms Li' },
        { at: 999_000, kind: 'page', label: 'before the recording' },
        { at: 1_100_000, kind: 'ai-question', label: 'after it' },
        { at: 1_010_000, kind: 'recording-start', label: 'recording-2.webm' },
      ],
    })
    const placed = markersFor(lesson, part(), 60)
    expect(placed.map((m) => [m.kind, m.time])).toEqual([
      ['recording-start', 0],
      ['screen-share-start', 5.5],
    ])
    expect(markersFor(lesson, part({ startedAt: 0 }), 60)).toEqual([])
    expect(markerKindKey('screen-share-start')).toBe('screenShareStart')
    expect(markerKindKey('something-new')).toBe('other')
  })

  it('formats sizes and problem codes', () => {
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1_500_000)).toBe('1.5 MB')
    expect(formatBytes(3_200_000_000)).toBe('3.2 GB')
    expect(formatBytes(null)).toBe('—')
    expect(codeKey('no-space-to-finish')).toBe('noSpaceToFinish')
  })
})

describe('recording in the browser', () => {
  it('prefers VP9, falls back to VP8, or reports it cannot record', () => {
    expect(pickMimeType(() => true)).toBe('video/webm;codecs=vp9,opus')
    expect(pickMimeType((t) => !t.includes('vp9'))).toBe('video/webm;codecs=vp8,opus')
    expect(pickMimeType(() => false)).toBeNull()
  })

  it('keeps library keys per server and lesson, dropping bad entries', () => {
    localStorage.clear()
    saveKeys([
      { server: 'http://a', lessonId: LESSON_ID, role: 'tutor', key: 'k1', savedAt: 1 },
      { server: 'http://b', lessonId: LESSON_ID, role: 'student', key: 'k2', savedAt: 2 },
    ])
    expect(loadKeys().map((k) => k.key)).toEqual(['k1', 'k2'])
    forgetKeys('http://a', [LESSON_ID])
    expect(loadKeys().map((k) => k.key)).toEqual(['k2'])
    localStorage.setItem('duet.libraryKeys', '[{"server":1}]')
    expect(loadKeys()).toEqual([])
    localStorage.setItem('duet.libraryKeys', 'not json')
    expect(loadKeys()).toEqual([])
  })
})
