import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SessionServer } from '../../../../src/server/index'
import { LibraryKeyResponseSchema, LibraryListResponseSchema } from '../../../../src/shared/recording/http'
import { LessonAiResponseSchema } from '../../../../src/shared/recording/lessonAi'
import { pairUp, serversClosedAfterEach } from '../helpers'
import { tempDirs } from '../../shared/recording/helpers'
import { openTestDatabase } from '../../../support/databases'
import { writeAiRecord } from '../../../../src/server/ai/aiTable'
import { AiLessonRecordSchema } from '../../../../src/server/ai/store'

const startServer = serversClosedAfterEach()
const tempDir = tempDirs()

const post = (server: SessionServer, path: string, token: string, body: Uint8Array | string) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': typeof body === 'string' ? 'application/json' : 'application/octet-stream' },
    body: body as Uint8Array<ArrayBuffer> | string,
  })
const get = (server: SessionServer, path: string, token: string) => fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } })

const PDF = new TextEncoder().encode('%PDF-1.3\n% a board\n')

/** What the AI service keeps for a lesson, with one question from each person. */
function aiRecord(lessonId: string) {
  const conversation = (role: 'tutor' | 'student', name: string, text: string, at: number) => ({
    id: `${role}-1`,
    createdAt: at - 10,
    owner: { id: role, role, name },
    revealRequests: 0,
    messages: [
      { id: `${role}-q`, role: 'user', text, at, status: 'complete' },
      { id: `${role}-a`, role: 'assistant', text: 'An answer', at: at + 5, status: 'complete', mode: 'direct' },
    ],
  })
  return {
    lessonId,
    studentMode: null,
    ollama: null,
    usage: { day: '', studentQuestions: 1 },
    conversations: [conversation('student', 'Wei', 'What is 2x = 6?', 2000), conversation('tutor', 'Ms Li', 'Make a fractions question', 1000), { ...conversation('tutor', 'Ms Li', '', 3000), id: 'empty', messages: [] }],
  }
}

describe('the lesson record beyond the recording (session server)', () => {
  it('an unrecorded lesson gets a record with its board PDF from the tutor, listed for both people', async () => {
    const dataDir = tempDir()
    const server = await startServer({ dataDir })
    const { lesson, join: joined } = await pairUp(server)
    const path = `/api/library/${lesson.lessonId}/files/board.pdf`

    expect((await post(server, path, joined.studentToken, PDF)).status).toBe(403)
    expect((await post(server, path, 'nonsense', PDF)).status).toBe(401)
    expect((await post(server, path, lesson.tutorToken, new TextEncoder().encode('<html>not a pdf'))).status).toBe(400)
    expect((await post(server, `/api/library/${lesson.lessonId}/files/evil.sh`, lesson.tutorToken, PDF)).status).toBe(400)
    expect(existsSync(join(dataDir, 'recordings', lesson.lessonId))).toBe(false)

    expect((await post(server, path, lesson.tutorToken, PDF)).status).toBe(200)
    const folder = join(dataDir, 'recordings', lesson.lessonId)
    expect(JSON.parse(readFileSync(join(folder, 'lesson.json'), 'utf8'))).toMatchObject({ tutorName: 'Ms Li', studentName: 'Wei', recordings: [] })
    expect(readFileSync(join(folder, 'board.pdf'))).toEqual(Buffer.from(PDF))

    const studentKey = LibraryKeyResponseSchema.parse(await (await post(server, '/api/library/keys', joined.studentToken, '{}')).json())
    const listed = LibraryListResponseSchema.parse(await (await post(server, '/api/library/list', '', JSON.stringify({ keys: [studentKey.key] }))).json())
    expect(listed.entries).toHaveLength(1)
    expect(listed.entries[0]).toMatchObject({ recordings: [], extraFiles: ['board.pdf'], role: 'student' })
    const served = await fetch(`${server.url}/api/library/${lesson.lessonId}/file/board.pdf?key=${encodeURIComponent(studentKey.key)}`)
    expect(served.status).toBe(200)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PDF)
  })

  it('keeps a file from the chat under the name its sender gave it; the student downloads it under that name', async () => {
    const dataDir = tempDir()
    const server = await startServer({ dataDir })
    const { lesson, join: joined } = await pairUp(server)
    const path = `/api/library/${lesson.lessonId}/files/chat-4.pdf`
    const send = (token: string, name: string | null, file = path) =>
      fetch(`${server.url}${file}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream', ...(name === null ? {} : { 'X-File-Name': encodeURIComponent(name) }) },
        body: PDF,
      })

    expect((await send(joined.studentToken, '作业.pdf')).status).toBe(403)
    expect((await send(lesson.tutorToken, null)).status).toBe(400)
    expect((await send(lesson.tutorToken, 'x.pdf', `/api/library/${lesson.lessonId}/files/chat-0.pdf`)).status).toBe(400)
    expect((await send(lesson.tutorToken, 'x.pdf', `/api/library/${lesson.lessonId}/files/chat-4.html`)).status).toBe(400)
    expect((await send(lesson.tutorToken, '作业.pdf')).status).toBe(200)

    const studentKey = LibraryKeyResponseSchema.parse(await (await post(server, '/api/library/keys', joined.studentToken, '{}')).json())
    const listed = LibraryListResponseSchema.parse(await (await post(server, '/api/library/list', '', JSON.stringify({ keys: [studentKey.key] }))).json())
    expect(listed.entries[0]).toMatchObject({ extraFiles: ['chat-4.pdf'], record: { chatFiles: [{ file: 'chat-4.pdf', name: '作业.pdf' }] } })
    const served = await fetch(`${server.url}/api/library/${lesson.lessonId}/file/chat-4.pdf?key=${encodeURIComponent(studentKey.key)}&download=1`)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-disposition')).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''${encodeURIComponent('作业.pdf')}`)
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PDF)
    expect((await fetch(`${server.url}/api/library/${lesson.lessonId}/file/chat-4.pdf?key=nonsense`)).status).toBe(401)
  })

  it('gives the tutor the lesson’s AI conversations (both people’s, none empty); nobody else', async () => {
    const database = await openTestDatabase('pglite')
    try {
      const server = await startServer({ dataDir: tempDir(), database })
      const { lesson, join: joined } = await pairUp(server)
      const path = `/api/library/${lesson.lessonId}/ai`
      // What the AI service keeps for the lesson, in the database it shares with the library.
      await database.db.transaction().execute((tx) => writeAiRecord(tx, 'lesson', AiLessonRecordSchema.parse(aiRecord(lesson.lessonId)), 1))
      const body = LessonAiResponseSchema.parse(await (await get(server, path, lesson.tutorToken)).json())
      expect(body.conversations.map((c) => [c.owner.name, c.messages[0]?.text])).toEqual([
        ['Wei', 'What is 2x = 6?'],
        ['Ms Li', 'Make a fractions question'],
      ])
      expect((await get(server, path, joined.studentToken)).status).toBe(403)
      expect((await get(server, path, 'nonsense')).status).toBe(401)
      const other = await pairUp(server)
      expect((await get(server, path, other.lesson.tutorToken)).status).toBe(401)
      expect(LessonAiResponseSchema.parse(await (await get(server, `/api/library/${other.lesson.lessonId}/ai`, other.lesson.tutorToken)).json())).toEqual({ conversations: [] })

      // A damaged record is not trusted: the lesson record just has no conversation.
      const third = await pairUp(server)
      await database.db.transaction().execute((tx) => writeAiRecord(tx, 'lesson', AiLessonRecordSchema.parse(aiRecord(third.lesson.lessonId)), 1))
      await database.db.updateTable('ai_conversations').set({ messages: '[{"id": 42}]' }).where('scope_id', '=', third.lesson.lessonId).execute()
      expect(LessonAiResponseSchema.parse(await (await get(server, `/api/library/${third.lesson.lessonId}/ai`, third.lesson.tutorToken)).json())).toEqual({ conversations: [] })
    } finally {
      await database.close()
    }
  }, 60_000)
})
