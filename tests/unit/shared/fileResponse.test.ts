import { describe, expect, it } from 'vitest'
import { etagOf, lastModifiedOf, parseRange, planFileResponse } from '../../../src/shared/fileResponse'

const FILE = { size: 1000, mtimeMs: Date.UTC(2026, 11, 7, 9, 30, 0) + 0.25 }
const ETAG = etagOf(FILE)
const DATE = lastModifiedOf(FILE)

describe('answering a library file over HTTP', () => {
  it('parses byte ranges', () => {
    expect(parseRange(null, 100)).toBe('all')
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 })
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 })
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 })
    expect(parseRange('bytes=50-5000', 100)).toEqual({ start: 50, end: 99 })
    expect(parseRange('bytes=100-', 100)).toBeNull()
    expect(parseRange('bytes=0-1,5-6', 100)).toBe('all')
  })

  it('names each version of a file with a strong ETag and its date', () => {
    expect(ETAG).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
    expect(DATE).toBe('Mon, 07 Dec 2026 09:30:00 GMT')
    // A file renamed in is another version even at the same size, or the same second.
    expect(etagOf({ ...FILE, mtimeMs: FILE.mtimeMs + 0.5 })).not.toBe(ETAG)
    expect(etagOf({ ...FILE, size: 999 })).not.toBe(ETAG)
  })

  it('sends the whole file, a range, or 416, with validators on each', () => {
    expect(planFileResponse({ method: 'GET' }, FILE)).toEqual({
      status: 200,
      headers: { ETag: ETAG, 'Last-Modified': DATE, 'Accept-Ranges': 'bytes', 'Content-Length': '1000' },
      body: { start: 0, end: 999 },
    })
    expect(planFileResponse({ method: 'GET', range: 'bytes=100-199' }, FILE)).toEqual({
      status: 206,
      headers: { ETag: ETAG, 'Last-Modified': DATE, 'Accept-Ranges': 'bytes', 'Content-Length': '100', 'Content-Range': 'bytes 100-199/1000' },
      body: { start: 100, end: 199 },
    })
    expect(planFileResponse({ method: 'GET', range: 'bytes=5000-' }, FILE)).toMatchObject({ status: 416, headers: { 'Content-Range': 'bytes */1000' }, body: null })
    expect(planFileResponse({ method: 'HEAD', range: 'bytes=0-9' }, FILE)).toMatchObject({ status: 206, headers: { 'Content-Length': '10' }, body: null })
    expect(planFileResponse({ method: 'GET' }, { size: 0, mtimeMs: 1 })).toMatchObject({ status: 200, headers: { 'Content-Length': '0' }, body: null })
  })

  it('answers a range only for the version the client already holds (If-Range)', () => {
    expect(planFileResponse({ method: 'GET', range: 'bytes=100-199', ifRange: ETAG }, FILE).status).toBe(206)
    expect(planFileResponse({ method: 'GET', range: 'bytes=100-199', ifRange: DATE }, FILE).status).toBe(206)
    for (const other of [etagOf({ ...FILE, size: 5 }), `W/${ETAG}`, 'Sun, 06 Dec 2026 09:30:00 GMT', 'junk']) {
      expect(planFileResponse({ method: 'GET', range: 'bytes=100-199', ifRange: other }, FILE), other).toMatchObject({ status: 200, body: { start: 0, end: 999 } })
    }
    // A stale If-Range also lifts an unsatisfiable range: the new version is sent whole.
    expect(planFileResponse({ method: 'GET', range: 'bytes=5000-', ifRange: '"old"' }, FILE).status).toBe(200)
  })

  it('answers 304 when the client’s copy is current (If-None-Match), before any range', () => {
    for (const current of [ETAG, `W/${ETAG}`, `"other", ${ETAG}`, '*']) {
      expect(planFileResponse({ method: 'GET', range: 'bytes=0-9', ifNoneMatch: current }, FILE), current).toEqual({ status: 304, headers: { ETag: ETAG, 'Last-Modified': DATE }, body: null })
    }
    expect(planFileResponse({ method: 'GET', ifNoneMatch: '"other"' }, FILE).status).toBe(200)
  })
})
