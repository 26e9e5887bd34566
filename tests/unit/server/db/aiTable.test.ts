import { describe, expect, it } from 'vitest'
import { AiTable } from '../../../../src/server/ai/aiTable'
import { emptyRecord, type AiLessonRecord } from '../../../../src/server/ai/store'
import { BACKENDS, suiteDatabase } from '../../../support/databases'
import { memoryLogger } from '../helpers'

const LESSON = '5b7f2a52-5c2a-4f5e-9a5e-1f1c6b1f0a01'

function conversation(id: string, texts: string[]): AiLessonRecord['conversations'][number] {
  return {
    id,
    createdAt: 1_000,
    owner: { id: 'student', role: 'student', name: 'Wei' },
    revealRequests: 0,
    messages: texts.map((text, i) => ({ id: `${id}-${i}`, role: i % 2 === 0 ? 'user' : 'assistant', text, at: 1_000 + i, status: 'complete' })),
  }
}

describe.each(BACKENDS)('AI records in the database (%s)', (backend) => {
  const database = suiteDatabase(backend)

  it('keeps settings, the daily count and conversations in order, apart per scope', async () => {
    const lessons = new AiTable(database.db, 'lesson', memoryLogger(), () => 5)
    const practice = new AiTable(database.db, 'practice', memoryLogger(), () => 5)
    const record: AiLessonRecord = {
      ...emptyRecord(LESSON),
      studentMode: 'direct',
      ollama: { model: 'qwen2.5:7b', vision: false },
      usage: { day: '2030-01-01', studentQuestions: 3 },
      conversations: [conversation('c1', ['What is 2+2?', 'Think of two pairs.']), conversation('c2', ['Next'])],
    }
    lessons.save(record)
    await lessons.flush()
    expect(await lessons.load(LESSON)).toEqual(record)
    expect(await practice.load(LESSON)).toBeNull()
  })

  it('rewrites only conversations that changed, and drops the ones a record no longer has', async () => {
    const table = new AiTable(database.db, 'lesson', memoryLogger(), () => 5)
    const record: AiLessonRecord = { ...emptyRecord(LESSON), conversations: [conversation('c1', ['a']), conversation('c2', ['b'])] }
    table.save(record)
    await table.flush()
    // Someone else's edit to c1 survives a save that did not change c1.
    await database.db.updateTable('ai_conversations').set({ reveal_requests: 7 }).where('id', '=', 'c1').execute()
    record.conversations[1]?.messages.push({ id: 'c2-1', role: 'assistant', text: 'answer', at: 2_000, status: 'complete' })
    table.save(record)
    await table.flush()
    const rows = await database.db.selectFrom('ai_conversations').select(['id', 'reveal_requests']).orderBy('position').execute()
    expect(rows).toEqual([
      { id: 'c1', reveal_requests: 7 },
      { id: 'c2', reveal_requests: 0 },
    ])
    record.conversations.shift()
    table.save(record)
    await table.flush()
    expect((await table.load(LESSON))?.conversations.map((c) => [c.id, c.messages.length])).toEqual([['c2', 2]])
  })
})
