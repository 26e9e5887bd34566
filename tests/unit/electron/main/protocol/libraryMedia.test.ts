import { describe, expect, it } from 'vitest'
import { createLibraryMediaResponder } from '../../../../../electron/main/protocol/libraryMedia'
import { parseRange } from '../../../../../src/shared/recording/httpRange'
import { LESSON_ID } from '../../../shared/recording/helpers'
import { fakeLogger } from '../../fakes'

const FILE = new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 256))

function responder() {
  const logger = fakeLogger()
  const respond = createLibraryMediaResponder({
    mediaPath: (id, file) => {
      if (!/^[0-9a-f-]{36}$/.test(id) || !/^recording(-\d+)?\.(webm|jpg)$/.test(file)) throw new Error('bad')
      return `/lib/${id}/${file}`
    },
    fileSize: async (path) => (path.endsWith('recording.webm') ? FILE.length : null),
    openRange: (_path, start, end) => new Blob([FILE.slice(start, end + 1)]).stream(),
    logger,
  })
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => respond(new Request(`app://duet${path}`, { method, headers }))
  return { get, logger }
}

describe('library media over app://', () => {
  it('parses byte ranges', () => {
    expect(parseRange(null, 100)).toBe('all')
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 })
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 })
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 })
    expect(parseRange('bytes=50-5000', 100)).toEqual({ start: 50, end: 99 })
    expect(parseRange('bytes=100-', 100)).toBeNull()
    expect(parseRange('bytes=0-1,5-6', 100)).toBe('all')
  })

  it('ignores URLs that are not library files', () => {
    const { get } = responder()
    expect(get('/index.html')).toBeNull()
    expect(get('/_libraryx/a')).toBeNull()
  })

  it('serves whole files and ranges so <video> can seek', async () => {
    const { get } = responder()
    const whole = await get(`/_library/${LESSON_ID}/recording.webm`)
    expect(whole?.status).toBe(200)
    expect(whole?.headers.get('Content-Type')).toBe('video/webm')
    expect(whole?.headers.get('Accept-Ranges')).toBe('bytes')
    expect(new Uint8Array(await whole!.arrayBuffer())).toEqual(FILE)
    const part = await get(`/_library/${LESSON_ID}/recording.webm`, { Range: 'bytes=100-199' })
    expect(part?.status).toBe(206)
    expect(part?.headers.get('Content-Range')).toBe('bytes 100-199/1000')
    expect(part?.headers.get('Content-Length')).toBe('100')
    expect(new Uint8Array(await part!.arrayBuffer())).toEqual(FILE.slice(100, 200))
    expect((await get(`/_library/${LESSON_ID}/recording.webm`, { Range: 'bytes=5000-' }))?.status).toBe(416)
    const head = await get(`/_library/${LESSON_ID}/recording.webm`, {}, 'HEAD')
    expect(head?.status).toBe(200)
    expect(head?.headers.get('Content-Length')).toBe('1000')
  })

  it('refuses traversal and unknown names, 404s missing files', async () => {
    const { get, logger } = responder()
    for (const bad of [`/_library/${LESSON_ID}/..%2f..%2fetc%2fpasswd`, `/_library/${LESSON_ID}/lesson.json`, '/_library/..%2f/recording.webm', `/_library/${LESSON_ID}/a/recording.webm`]) {
      expect((await get(bad))?.status, bad).toBe(403)
    }
    expect(logger.warn).toHaveBeenCalled()
    expect((await get(`/_library/${LESSON_ID}/recording-2.webm`))?.status).toBe(404)
    expect((await get(`/_library/${LESSON_ID}/recording.webm`, {}, 'POST'))?.status).toBe(405)
  })
})
