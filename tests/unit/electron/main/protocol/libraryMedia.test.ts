import { describe, expect, it } from 'vitest'
import { createLibraryMediaResponder } from '../../../../../electron/main/protocol/libraryMedia'
import { etagOf } from '../../../../../src/shared/fileResponse'
import { LESSON_ID } from '../../../shared/recording/helpers'
import { fakeLogger } from '../../fakes'

const FILE = new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 256))
const VERSION = { size: FILE.length, mtimeMs: 1_765_000_000_000 }

function responder() {
  const logger = fakeLogger()
  const open = { files: 0 }
  const respond = createLibraryMediaResponder({
    mediaPath: (id, file) => {
      if (!/^[0-9a-f-]{36}$/.test(id) || !/^recording(-\d+)?\.(webm|jpg)$/.test(file)) throw new Error('bad')
      return `/lib/${id}/${file}`
    },
    openFile: async (path) => {
      if (!path.endsWith('recording.webm')) return null
      open.files++
      return {
        version: VERSION,
        stream: (start, end) => {
          open.files--
          return new Blob([FILE.slice(start, end + 1)]).stream()
        },
        close: async () => {
          open.files--
        },
      }
    },
    logger,
  })
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => respond(new Request(`app://duet${path}`, { method, headers }))
  return { get, logger, open }
}

describe('library media over app://', () => {
  it('ignores URLs that are not library files', () => {
    const { get } = responder()
    expect(get('/index.html')).toBeNull()
    expect(get('/_libraryx/a')).toBeNull()
  })

  it('serves whole files and ranges so <video> can seek', async () => {
    const { get, open } = responder()
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
    expect(open.files).toBe(0)
  })

  it('names the file’s version, so a player never joins bytes of two versions', async () => {
    const { get, open } = responder()
    const url = `/_library/${LESSON_ID}/recording.webm`
    const part = await get(url, { Range: 'bytes=100-199', 'If-Range': etagOf(VERSION) })
    expect([part?.status, part?.headers.get('ETag'), part?.headers.get('Last-Modified')]).toEqual([206, etagOf(VERSION), new Date(VERSION.mtimeMs).toUTCString()])
    await part?.arrayBuffer()
    const changed = await get(url, { Range: 'bytes=100-199', 'If-Range': '"an-older-version"' })
    expect(changed?.status).toBe(200)
    expect(new Uint8Array(await changed!.arrayBuffer())).toEqual(FILE)
    const current = await get(url, { 'If-None-Match': etagOf(VERSION) })
    expect([current?.status, current?.body]).toEqual([304, null])
    expect(open.files).toBe(0)
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
