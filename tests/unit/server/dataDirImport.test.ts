import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AiConversationResponseSchema } from '../../../src/shared/ai/conversation'
import { TokenService } from '../../../src/server/lesson/tokens'
import { PracticePassService } from '../../../src/server/ai/practicePass'
import { IMPORTED_ASIDE } from '../../../src/server/dataDirImport'
import type {  } from '../../../src/server/index'
import { BACKENDS, suiteDatabase } from '../../support/databases'
import { fakeClock, memoryLogger, serversClosedAfterEach } from './helpers'
import { getJson } from './ai/helpers'

const SECRET = new Uint8Array(32).fill(7)

/** A data folder as the JSON-file versions left it: lessons/, ai/, ai-practice/ and the signing secret. */
function writeOldDataDir(dir: string, now: number, passId: string) {
  const lessonId = randomUUID()
  fs.writeFileSync(path.join(dir, 'secret.key'), SECRET)
  fs.mkdirSync(path.join(dir, 'lessons'))
  fs.mkdirSync(path.join(dir, 'ai'))
  fs.mkdirSync(path.join(dir, 'ai-practice'))
  const lesson = {
    id: lessonId,
    tutorId: 'tutor-1',
    tutorName: 'Ms Li',
    inviteCode: 'K7P2QXMA',
    createdAt: now - 60_000,
    inviteExpiresAt: now + 3_600_000,
    tokensValidUntil: now + 3_600_000,
    startedAt: now - 30_000,
    endedAt: null,
    endedBy: null,
    attendance: [
      { id: 'tutor-1', name: 'Ms Li', role: 'tutor', joinedAt: now - 50_000, leftAt: null },
      { id: 'student-1', name: 'Wei', role: 'student', joinedAt: now - 30_000, leftAt: null },
    ],
    // Files from before seats existed have none.
  }
  fs.writeFileSync(path.join(dir, 'lessons', `${lessonId}.json`), JSON.stringify(lesson))
  fs.writeFileSync(path.join(dir, 'lessons', '11111111-2222-4333-8444-555555555555.json'), '{"id": truncated')
  fs.writeFileSync(path.join(dir, 'lessons', '66666666-2222-4333-8444-555555555555.json'), JSON.stringify({ id: 'x', tutorName: '' }))
  fs.writeFileSync(path.join(dir, 'lessons', `${lessonId}.json.1234.tmp`), 'half-written')
  const conversation = (owner: 'tutor' | 'student', text: string) => ({
    id: randomUUID(),
    createdAt: now - 20_000,
    owner: { id: owner, role: owner, name: owner === 'tutor' ? 'Ms Li' : 'Wei' },
    revealRequests: 0,
    messages: [
      { id: randomUUID(), role: 'user', text, at: now - 20_000, status: 'complete', action: 'ask' },
      { id: randomUUID(), role: 'assistant', text: 'A hint first.', at: now - 19_000, status: 'complete', mode: 'hint-first' },
    ],
  })
  const aiRecord = { lessonId, studentMode: 'direct', ollama: null, usage: { day: '2030-01-01', studentQuestions: 1 }, conversations: [conversation('student', 'What is a prime?')] }
  fs.writeFileSync(path.join(dir, 'ai', `${lessonId}.json`), JSON.stringify(aiRecord))
  const practice = { lessonId: passId, studentMode: null, ollama: null, usage: { day: '', studentQuestions: 0 }, conversations: [conversation('student', 'Practice question')] }
  fs.writeFileSync(path.join(dir, 'ai-practice', `${passId}.json`), JSON.stringify(practice))
  return { lessonId }
}

describe.each(BACKENDS)('a data folder of the JSON-file versions, imported into %s', { timeout: 120_000 }, (backend) => {
  const database = suiteDatabase(backend)
  let dataDir: string
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-import-'))
  })
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }))
  // Registered last, so it runs first: the servers close before their data folder goes.
  const started = serversClosedAfterEach()

  it('imports lessons, attendance, lesson and practice conversations once, keeps the files aside, and moves bad files aside', async () => {
    const clock = fakeClock()
    const passes = new PracticePassService(SECRET, clock.now)
    const pass = await passes.issue('student', 'Wei')
    const { lessonId } = writeOldDataDir(dataDir, clock.now(), pass.claims.sub)
    const logger = memoryLogger()
    const start = async () => {
      const server = await started({ dataDir, database, now: clock.now, logger, ai: { studentPractice: true } })
      return server
    }
    const first = await start()

    // The old invite still answers; the old student token still opens the lesson and its AI conversation.
    expect((await fetch(`${first.url}/api/invites/K7P2QXMA`)).status).toBe(200)
    const student = await new TokenService(SECRET, clock.now).sign({ sub: 'student-1', lid: lessonId, role: 'student', name: 'Wei' }, clock.now() + 3_600_000)
    const inLesson = AiConversationResponseSchema.parse((await getJson(first, '/api/ai/conversation', student)).body)
    expect(inLesson.conversation?.messages.map((m) => m.text)).toEqual(['What is a prime?', 'A hint first.'])
    const practised = AiConversationResponseSchema.parse((await getJson(first, '/api/ai/conversation', pass.pass)).body)
    expect(practised.conversation?.messages[0]?.text).toBe('Practice question')
    const attendance = await database.db.selectFrom('attendance').select(['participant_id', 'role']).where('lesson_id', '=', lessonId).orderBy('position').execute()
    expect(attendance).toEqual([
      { participant_id: 'tutor-1', role: 'tutor' },
      { participant_id: 'student-1', role: 'student' },
    ])

    // The folders are kept aside, bad files inside them moved aside and logged; nothing is left in the old places.
    for (const folder of ['lessons', 'ai', 'ai-practice']) expect(fs.existsSync(path.join(dataDir, folder))).toBe(false)
    const kept = fs.readdirSync(path.join(dataDir, IMPORTED_ASIDE, 'lessons')).sort()
    expect(kept.filter((n) => n.endsWith('.json'))).toEqual([`${lessonId}.json`])
    expect(kept.filter((n) => n.includes('.corrupt-'))).toHaveLength(2)
    expect(kept.filter((n) => n.endsWith('.tmp'))).toEqual([])
    expect(logger.lines.filter((l) => l.level === 'warn' && /moved aside/.test(l.msg))).toHaveLength(2)
    await first.close()

    // Once only: a folder that reappears is not imported again (and is moved aside with a new name).
    fs.mkdirSync(path.join(dataDir, 'lessons'))
    const second = await start()
    expect((await fetch(`${second.url}/api/invites/K7P2QXMA`)).status).toBe(200)
    expect(await database.db.selectFrom('lessons').select('id').execute()).toEqual([{ id: lessonId }])
    expect(fs.readdirSync(path.join(dataDir, IMPORTED_ASIDE)).filter((n) => n.startsWith('lessons-'))).toHaveLength(1)
  })
})
