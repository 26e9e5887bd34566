import { existsSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join as pathJoin } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SessionServer } from '../../../../src/server/index'
import { LibraryKeyResponseSchema, LibraryListResponseSchema } from '../../../../src/shared/recording/http'
import { RecordingOpenResultSchema, RecordingWriteResultSchema } from '../../../../src/shared/recording/io'
import { scanWebm } from '../../../../src/shared/recording/webmScan'
import { TestClient, pairUp, serversClosedAfterEach } from '../helpers'
import { fixture, memorySource, tempDirs } from '../../shared/recording/helpers'

const startServer = serversClosedAfterEach()
const tempDir = tempDirs()

const auth = (token: string) => ({ Authorization: `Bearer ${token}` })
const post = (server: SessionServer, path: string, token: string, body?: unknown, type = 'application/json') =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...auth(token), 'Content-Type': type },
    body: body === undefined ? undefined : body instanceof Uint8Array ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
  })

async function recordingOn(server: SessionServer) {
  const pair = await pairUp(server)
  pair.tutor.send({ type: 'recording', on: true, storage: 'server' })
  const tutorSees = await pair.tutor.next('recording-state')
  const studentSees = await pair.student.next('recording-state')
  return { ...pair, tutorSees, studentSees }
}

function openBody(lessonId: string) {
  // The meta in the request is ignored: the server writes what it knows about the lesson.
  return { lessonId, mimeType: 'video/webm;codecs=vp9,opus', startedAt: Date.now(), meta: { lessonId, role: 'tutor', tutorName: 'Mallory', studentName: null, server: 'http://evil', startedAt: null, endedAt: null, durationMs: null } }
}

describe('recording state over the lesson WebSocket', () => {
  it('tutor switches it on, both see it, a student joining later is told in welcome', async () => {
    const server = await startServer({ dataDir: tempDir() })
    const { tutorSees, studentSees, student, join } = await recordingOn(server)
    expect(tutorSees.state).toMatchObject({ on: true, by: 'tutor', policy: 'allowed', serverStorage: true })
    expect(studentSees.state).toEqual(tutorSees.state)
    student.send({ type: 'recording', on: false, storage: 'server' })
    expect(await student.next('recording-refused')).toMatchObject({ reason: 'not-tutor', state: { on: true } })
    student.close()
    await student.closed
    const again = await TestClient.join(server, join.studentToken)
    expect((await again.next('welcome')).recording).toMatchObject({ on: true })
  })

  it('refuses per policy and storage', async () => {
    const forbidden = await startServer({ recording: 'forbidden' })
    const a = await pairUp(forbidden)
    expect(a.tutorWelcome.recording).toMatchObject({ on: false, policy: 'forbidden', serverStorage: false })
    a.tutor.send({ type: 'recording', on: true, storage: 'local' })
    expect(await a.tutor.next('recording-refused')).toMatchObject({ reason: 'forbidden' })

    const memory = await startServer()
    const b = await pairUp(memory)
    b.tutor.send({ type: 'recording', on: true, storage: 'server' })
    expect(await b.tutor.next('recording-refused')).toMatchObject({ reason: 'no-storage' })
    b.tutor.send({ type: 'recording', on: true, storage: 'local' })
    expect((await b.student.next('recording-state')).state.on).toBe(true)
  })

  it('goes off for the student when the tutor leaves', async () => {
    const server = await startServer({ dataDir: tempDir() })
    const { tutor, student } = await recordingOn(server)
    tutor.send({ type: 'leave' })
    expect((await student.next('recording-state')).state.on).toBe(false)
  })
})

describe('browser recording uploads and the web library', () => {
  it('stores a recording as it arrives, finalizes it, and serves it to holders of a library key', async () => {
    const dataDir = tempDir()
    const server = await startServer({ dataDir })
    const { lesson, join } = await recordingOn(server)
    const opened = RecordingOpenResultSchema.parse(await (await post(server, '/api/recordings', lesson.tutorToken, openBody(lesson.lessonId))).json())
    if (!opened.ok) throw new Error(opened.message)
    const { chunks, bytes } = fixture('vp9-4s')
    for (const [seq, chunk] of chunks.entries()) {
      const res = await post(server, `/api/recordings/${opened.recordingId}/chunks/${seq}`, lesson.tutorToken, chunk, 'application/octet-stream')
      expect(RecordingWriteResultSchema.parse(await res.json())).toMatchObject({ ok: true })
    }
    // A retried chunk is fine; a gap is refused.
    expect(await (await post(server, `/api/recordings/${opened.recordingId}/chunks/3`, lesson.tutorToken, chunks[3], 'application/octet-stream')).json()).toMatchObject({ ok: true })
    expect(await (await post(server, `/api/recordings/${opened.recordingId}/chunks/9`, lesson.tutorToken, chunks[0], 'application/octet-stream')).json()).toMatchObject({ ok: false, reason: 'sequence' })
    const folder = pathJoin(dataDir, 'recordings', lesson.lessonId)
    expect(readFileSync(pathJoin(folder, 'recording.webm')).length).toBe(bytes.length)
    expect((await post(server, `/api/recordings/${opened.recordingId}/thumbnail`, lesson.tutorToken, new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg')).status).toBe(200)
    expect(await (await post(server, `/api/recordings/${opened.recordingId}/close`, lesson.tutorToken)).json()).toMatchObject({ status: 'ready' })
    const finalized = await scanWebm(memorySource(new Uint8Array(readFileSync(pathJoin(folder, 'recording.webm')))))
    expect(finalized).toMatchObject({ ok: true, hasDuration: true, hasCues: true })
    const record = JSON.parse(readFileSync(pathJoin(folder, 'lesson.json'), 'utf8'))
    expect(record).toMatchObject({ tutorName: 'Ms Li', studentName: 'Wei', lessonId: lesson.lessonId })

    const tutorKey = LibraryKeyResponseSchema.parse(await (await post(server, '/api/library/keys', lesson.tutorToken)).json())
    const studentKey = LibraryKeyResponseSchema.parse(await (await post(server, '/api/library/keys', join.studentToken)).json())
    expect(studentKey.role).toBe('student')
    const listed = LibraryListResponseSchema.parse(await (await post(server, '/api/library/list', '', { keys: [studentKey.key, 'junk'] })).json())
    expect(listed.invalidKeys).toEqual([1])
    expect(listed.entries).toHaveLength(1)
    expect(listed.entries[0]).toMatchObject({ role: 'student', recordings: [{ file: 'recording.webm', status: 'ready', thumbnail: 'recording.jpg' }] })

    const url = `${server.url}/api/library/${lesson.lessonId}/file/recording.webm?key=${encodeURIComponent(studentKey.key)}`
    const ranged = await fetch(url, { headers: { Range: 'bytes=0-99' } })
    expect(ranged.status).toBe(206)
    expect(ranged.headers.get('content-range')).toMatch(/^bytes 0-99\//)
    expect((await ranged.arrayBuffer()).byteLength).toBe(100)
    const version = ranged.headers.get('etag') ?? ''
    expect(version).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
    expect(ranged.headers.get('last-modified')).toBe(new Date(statSync(pathJoin(folder, 'recording.webm')).mtimeMs).toUTCString())
    expect((await fetch(url, { headers: { 'If-None-Match': version } })).status).toBe(304)
    // A repair writes a new file and renames it in: a player holding the old bytes must not get a range of the new ones.
    // (The same bytes two seconds newer: only the version differs, and the MP4 below is still made from a whole recording.)
    const webm = pathJoin(folder, 'recording.webm')
    writeFileSync(`${webm}.new`, readFileSync(webm))
    utimesSync(`${webm}.new`, new Date(), new Date(statSync(webm).mtimeMs + 2000))
    renameSync(pathJoin(folder, 'recording.webm.new'), pathJoin(folder, 'recording.webm'))
    const stale = await fetch(url, { headers: { Range: 'bytes=100-199', 'If-Range': version } })
    expect(stale.status).toBe(200)
    expect(stale.headers.get('etag')).not.toBe(version)
    expect((await stale.arrayBuffer()).byteLength).toBe(statSync(webm).size)
    expect((await fetch(url, { headers: { 'If-None-Match': version } })).status).toBe(200)
    const fresh = await fetch(url, { headers: { Range: 'bytes=100-199', 'If-Range': stale.headers.get('etag') ?? '' } })
    expect([fresh.status, (await fresh.arrayBuffer()).byteLength]).toEqual([206, 100])
    expect((await fetch(url.replace('key=', 'key=x'))).status).toBe(401)
    expect((await fetch(url.replace('recording.webm', 'lesson.json'))).status).toBe(404)
    expect((await fetch(url.replace('recording.webm', '..%2Flesson.json'))).status).toBe(404)
    const mp4 = await fetch(url.replace('recording.webm', 'recording.mp4') + '&download=1')
    expect(mp4.status).toBe(200)
    expect(mp4.headers.get('content-disposition')).toMatch(/attachment/)
    expect(Buffer.from(await mp4.arrayBuffer()).subarray(4, 8).toString('latin1')).toBe('ftyp')

    // Students may not change the record; the tutor may rename and delete.
    expect((await post(server, `/api/library/${lesson.lessonId}/rename`, studentKey.key, { title: 'x' })).status).toBe(403)
    expect((await post(server, `/api/library/${lesson.lessonId}/rename`, tutorKey.key, { title: 'Vectors' })).status).toBe(200)
    expect((await post(server, `/api/library/${lesson.lessonId}/delete`, tutorKey.key)).status).toBe(200)
    expect(existsSync(folder)).toBe(false)
  })

  it('refuses uploads that are not the recording tutor, not switched on, too big, or on a memory-only server', async () => {
    const server = await startServer({ dataDir: tempDir() })
    const pair = await pairUp(server)
    const body = openBody(pair.lesson.lessonId)
    expect((await post(server, '/api/recordings', pair.lesson.tutorToken, body)).status).toBe(409) // recording not on
    pair.tutor.send({ type: 'recording', on: true, storage: 'server' })
    await pair.student.next('recording-state')
    expect((await post(server, '/api/recordings', pair.join.studentToken, body)).status).toBe(403)
    expect((await post(server, '/api/recordings', 'nonsense', body)).status).toBe(401)
    const opened = RecordingOpenResultSchema.parse(await (await post(server, '/api/recordings', pair.lesson.tutorToken, body)).json())
    if (!opened.ok) throw new Error(opened.message)
    const big = new Uint8Array(8 * 1024 * 1024 + 1)
    expect((await post(server, `/api/recordings/${opened.recordingId}/chunks/0`, pair.lesson.tutorToken, big, 'application/octet-stream').catch(() => ({ status: 413 }))).status).toBe(413)
    expect((await post(server, `/api/recordings/${opened.recordingId}/chunks/0`, pair.join.studentToken, new Uint8Array(4), 'application/octet-stream')).status).toBe(403)
    expect((await post(server, '/api/recordings/nope-nope-nope/chunks/0', pair.lesson.tutorToken, new Uint8Array(4), 'application/octet-stream')).status).toBe(404)

    const memory = await startServer()
    const m = await pairUp(memory)
    expect((await post(memory, '/api/recordings', m.lesson.tutorToken, openBody(m.lesson.lessonId))).status).toBe(403)
  })

  it('a server restart repairs a browser recording the tutor never closed', async () => {
    const dataDir = tempDir()
    const first = await startServer({ dataDir })
    const { lesson } = await recordingOn(first)
    const opened = RecordingOpenResultSchema.parse(await (await post(first, '/api/recordings', lesson.tutorToken, openBody(lesson.lessonId))).json())
    if (!opened.ok) throw new Error(opened.message)
    const { chunks } = fixture('vp8-4s')
    for (const seq of [0, 1, 2]) await post(first, `/api/recordings/${opened.recordingId}/chunks/${seq}`, lesson.tutorToken, chunks[seq], 'application/octet-stream')
    await first.close()
    const folder = pathJoin(dataDir, 'recordings', lesson.lessonId)
    expect(existsSync(pathJoin(folder, 'recording.webm.inprogress'))).toBe(true)

    await startServer({ dataDir })
    await expect.poll(() => existsSync(pathJoin(folder, 'recording.webm.inprogress')), { timeout: 5000 }).toBe(false)
    // The marker goes first, then lesson.json is rewritten: wait for the record, not the marker.
    await expect.poll(() => JSON.parse(readFileSync(pathJoin(folder, 'lesson.json'), 'utf8')).recordings[0]?.status, { timeout: 5000 }).toBe('repaired')
    const record = JSON.parse(readFileSync(pathJoin(folder, 'lesson.json'), 'utf8'))
    expect(record.recordings[0]).toMatchObject({ status: 'repaired', problem: { code: 'interrupted' } })
    expect(record.recordings[0].durationMs).toBeGreaterThan(1500)
  }, 60_000)
  it('after a restart the lesson is still being recorded: both are told at their welcome, and the tutor records on into a new part', async () => {
    const dataDir = tempDir()
    const first = await startServer({ dataDir })
    const { lesson, join, tutorSees } = await recordingOn(first)
    const opened = RecordingOpenResultSchema.parse(await (await post(first, '/api/recordings', lesson.tutorToken, openBody(lesson.lessonId))).json())
    if (!opened.ok) throw new Error(opened.message)
    const { chunks } = fixture('vp8-4s')
    for (const seq of [0, 1, 2]) await post(first, `/api/recordings/${opened.recordingId}/chunks/${seq}`, lesson.tutorToken, chunks[seq], 'application/octet-stream')
    // The server goes down without anyone pressing Stop (close() here stands in for a crash: it leaves the upload open and the state on).
    await first.close()

    const second = await startServer({ dataDir })
    const tutor = await TestClient.join(second, lesson.tutorToken)
    expect((await tutor.next('welcome')).recording).toEqual(tutorSees.state)
    const student = await TestClient.join(second, join.studentToken)
    expect((await student.next('welcome')).recording).toMatchObject({ on: true, by: 'tutor' })
    // The part cut off by the restart is not open any more; the tutor's app opens the next one.
    const lost = await post(second, `/api/recordings/${opened.recordingId}/chunks/3`, lesson.tutorToken, chunks[3], 'application/octet-stream')
    expect(lost.status).toBe(404)
    const next = RecordingOpenResultSchema.parse(await (await post(second, '/api/recordings', lesson.tutorToken, openBody(lesson.lessonId))).json())
    expect(next).toMatchObject({ ok: true, file: 'recording-2.webm' })
    const folder = pathJoin(dataDir, 'recordings', lesson.lessonId)
    await expect.poll(() => JSON.parse(readFileSync(pathJoin(folder, 'lesson.json'), 'utf8')).recordings.map((r: { status: string }) => r.status), { timeout: 5000 }).toEqual(['repaired', 'recording'])

    // The tutor stops: a third start of the server finds nothing to resume.
    tutor.send({ type: 'recording', on: false, storage: 'server' })
    expect((await student.next('recording-state')).state.on).toBe(false)
    await second.close()
    const third = await startServer({ dataDir })
    const back = await TestClient.join(third, lesson.tutorToken)
    expect((await back.next('welcome')).recording?.on).toBe(false)
  }, 90_000)
})
