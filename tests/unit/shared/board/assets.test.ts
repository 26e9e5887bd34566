import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AssetUploadResponseSchema, assetPath, assetUploadPath, sniffAsset } from '../../../../src/shared/board/assets'
import { MAX_ASSET_BYTES } from '../../../../src/shared/board/limits'
import { openDatabase } from '../../../../src/server/db/database'
import { silentLogger } from '../../../../src/server/logger'
import { createLesson, joinLesson, serversClosedAfterEach, startServer } from '../../server/helpers'
import { syncedClient, until } from '../../../support/boardClient'

const start = serversClosedAfterEach()

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64')
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1')

function upload(url: string, lessonId: string, token: string | null, body: Uint8Array, type: string) {
  return fetch(`${url}${assetUploadPath(lessonId)}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: Buffer.from(body),
  })
}

describe('file kinds', () => {
  it('are told by content, not by name', () => {
    expect(sniffAsset(PNG)?.mime).toBe('image/png')
    expect(sniffAsset(PDF)?.kind).toBe('pdf')
    expect(sniffAsset(Buffer.from('\xff\xd8\xff\xe0', 'latin1'))?.mime).toBe('image/jpeg')
    expect(sniffAsset(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))?.mime).toBe('image/webp')
    expect(sniffAsset(Buffer.from('GIF89a', 'latin1'))?.mime).toBe('image/gif')
    expect(sniffAsset(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
    expect(sniffAsset(new Uint8Array())).toBeNull()
  })
})

describe('board assets over HTTP', () => {
  it('stores course material by content hash and serves it only to this lesson', async () => {
    const server = await start()
    const lesson = await createLesson(server)
    const other = await createLesson(server, 'Other tutor')
    const res = await upload(server.url, lesson.lessonId, lesson.tutorToken, PNG, 'image/png')
    expect(res.status).toBe(200)
    const body = AssetUploadResponseSchema.parse(await res.json())
    expect(body).toEqual({ id: createHash('sha256').update(PNG).digest('hex'), mime: 'image/png', bytes: PNG.length })

    const join = await joinLesson(server, lesson.inviteCode)
    const get = await fetch(`${server.url}${assetPath(lesson.lessonId, body.id)}`, { headers: { authorization: `Bearer ${join.studentToken}` } })
    expect(get.status).toBe(200)
    expect(get.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await get.arrayBuffer())).toEqual(PNG)

    const refused: Record<string, string>[] = [{}, { authorization: `Bearer ${other.tutorToken}` }, { authorization: 'Bearer nonsense' }]
    for (const headers of refused) {
      expect((await fetch(`${server.url}${assetPath(lesson.lessonId, body.id)}`, { headers })).status).toBe(401)
    }
    const missing = await fetch(`${server.url}${assetPath(lesson.lessonId, 'f'.repeat(64))}`, { headers: { authorization: `Bearer ${lesson.tutorToken}` } })
    expect(missing.status).toBe(404)
    const preflight = await fetch(`${server.url}${assetUploadPath(lesson.lessonId)}`, { method: 'OPTIONS', headers: { Origin: 'app://duet', 'Access-Control-Request-Method': 'POST' } })
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization')
  })

  it('refuses unknown types, disguised files, oversized files and a view-only student', async () => {
    const server = await start()
    const lesson = await createLesson(server)
    const { lessonId, tutorToken } = lesson
    expect((await upload(server.url, lessonId, tutorToken, PNG, 'image/svg+xml')).status).toBe(415)
    expect((await upload(server.url, lessonId, tutorToken, PNG, 'application/pdf')).status).toBe(400)
    expect((await upload(server.url, lessonId, tutorToken, Buffer.from('just text'), 'image/png')).status).toBe(400)
    expect((await upload(server.url, lessonId, null, PDF, 'application/pdf')).status).toBe(401)
    const huge = new Uint8Array(MAX_ASSET_BYTES + 1)
    huge.set(PDF)
    const tooBig = await upload(server.url, lessonId, tutorToken, huge, 'application/pdf')
    expect(tooBig.status).toBe(413)

    const join = await joinLesson(server, lesson.inviteCode)
    expect((await upload(server.url, lessonId, join.studentToken, PDF, 'application/pdf')).status).toBe(200)
    const tutor = await syncedClient(server, lessonId, tutorToken)
    try {
      tutor.provider.sendStateless(JSON.stringify({ type: 'set-lock', locked: true }))
      await until(() => tutor.messages.some((m) => m.type === 'board-state' && m.locked), 'lock')
      const refused = await upload(server.url, lessonId, join.studentToken, PNG, 'image/png')
      expect(refused.status).toBe(403)
    } finally {
      tutor.destroy()
    }
  })

  it('keeps assets on disk with the board and removes them with a dropped lesson', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-assets-'))
    try {
      const server = await startServer({ dataDir })
      const lesson = await createLesson(server)
      const { id } = AssetUploadResponseSchema.parse(await (await upload(server.url, lesson.lessonId, lesson.tutorToken, PDF, 'application/pdf')).json())
      await server.close()
      expect(fs.readdirSync(path.join(dataDir, 'boards', lesson.lessonId, 'assets'))).toEqual([`${id}.pdf`])
      // The lesson leaves the database (as after its retention); the next start drops its board too.
      const database = await openDatabase({ kind: 'pglite', dir: path.join(dataDir, 'db') }, silentLogger)
      await database.db.deleteFrom('lessons').where('id', '=', lesson.lessonId).execute()
      await database.close()
      const again = await startServer({ dataDir })
      await again.close()
      expect(fs.existsSync(path.join(dataDir, 'boards', lesson.lessonId))).toBe(false)
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
