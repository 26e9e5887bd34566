import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../../../src/shared/chat/schema'
import { ChatConversations, type ChatReader } from '../../../../src/server/chat/conversations'
import { FileChatStore, memoryChatStore, type ChatStore } from '../../../../src/server/chat/store'
import { ChatTable } from '../../../../src/server/chat/chatTable'
import { BACKENDS, suiteDatabase } from '../../../support/databases'
import { fakeClock, memoryLogger } from '../helpers'
import { PNG } from './fixtures'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })))
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-chatstore-'))
  dirs.push(dir)
  return dir
}

const LESSON = '0b7f8d5e-1c2a-4b3d-9e8f-7a6b5c4d3e2f'
const tutor = { id: 't1', name: 'Ms Li', role: 'tutor' as const }
const student = { id: 's1', name: 'Wei', role: 'student' as const }
const studentReader: ChatReader = { key: 'student', isOwn: (m: ChatMessage) => m.from.role === 'student' }

/** Every store runs the same suite: memory, the data directory, and the database on both its backends. */
const STORES: [string, () => () => ChatStore][] = [
  ['memory', () => () => memoryChatStore()],
  ['data directory', () => () => new FileChatStore(tempDir(), memoryLogger())],
  ...BACKENDS.map((backend): [string, () => () => ChatStore] => [
    `database, ${backend}`,
    () => {
      const database = suiteDatabase(backend)
      return () => new ChatTable(database.db, memoryLogger())
    },
  ]),
]

describe.each(STORES)('chat storage (%s)', (_name, storeFactory) => {
  const makeStore = storeFactory()
  it('numbers messages in order, counts unread per reader and keeps read marks', async () => {
    const clock = fakeClock()
    const store = makeStore()
    const chat = new ChatConversations({ store, now: clock.now, logger: memoryLogger() })
    const sent = await Promise.all([1, 2, 3].map((i) => chat.post(LESSON, tutor, { kind: 'text', text: `m${i}` })))
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3])
    await chat.post(LESSON, student, { kind: 'text', text: 'mine' })
    const log = await chat.log(LESSON)
    expect(chat.unread(log, studentReader)).toBe(3)
    await chat.markRead(LESSON, studentReader, 2)
    expect(chat.unread(log, studentReader)).toBe(1)
    // What the store holds is the same after a fresh load (read marks are stored at the latest on close).
    await chat.close()
    const reloaded = await new ChatConversations({ store, now: clock.now, logger: memoryLogger() }).log(LESSON)
    expect(reloaded.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'mine'])
    expect(reloaded.read).toEqual({ student: 2 })
  })

  it('stores a file once by its hash and refuses what is not a chat file', async () => {
    const store = makeStore()
    const chat = new ChatConversations({ store, now: Date.now, logger: memoryLogger() })
    const a = await chat.addFile(LESSON, 'C:\\tmp\\dot.png', PNG)
    const b = await chat.addFile(LESSON, 'again.png', PNG)
    expect(a).toEqual(b)
    expect(a).toMatchObject({ name: 'dot.png', mime: 'image/png', kind: 'image' })
    expect((await store.getFile(LESSON, a.id))?.bytes).toEqual(PNG)
    await expect(chat.addFile(LESSON, 'x.pdf', new TextEncoder().encode('<html>'))).rejects.toMatchObject({ code: 'chat_file_unsupported' })
    expect((await store.files(LESSON)).map((f) => f.id)).toEqual([a.id])
  })

  it('lists its conversations and removes one whole (messages, read marks, files), leaving the others', async () => {
    const store = makeStore()
    const chat = new ChatConversations({ store, now: Date.now, logger: memoryLogger() })
    const thread = 'thread-6f1c2a4e-8d1b-4c7a-9e2f-0a1b2c3d4e5f'
    await chat.post(LESSON, tutor, { kind: 'text', text: 'in the lesson' })
    await chat.addFile(LESSON, 'dot.png', PNG)
    await chat.post(thread, student, { kind: 'text', text: 'between lessons' })
    await chat.markRead(thread, studentReader, 1)
    await chat.close()
    expect((await store.conversations()).sort()).toEqual([LESSON, thread].sort())
    await store.remove(LESSON)
    expect(await store.conversations()).toEqual([thread])
    expect(await store.load(LESSON)).toEqual({ messages: [], read: {} })
    expect(await store.files(LESSON)).toEqual([])
    expect((await store.load(thread)).messages.map((m) => m.text)).toEqual(['between lessons'])
  })
})

describe('FileChatStore', () => {
  it('skips a torn last line (a crash mid-append) and an invalid one, keeping the rest', async () => {
    const dir = tempDir()
    const logger = memoryLogger()
    const chat = new ChatConversations({ store: new FileChatStore(dir, logger), now: Date.now, logger })
    await chat.post(LESSON, tutor, { kind: 'text', text: 'one' })
    await chat.post(LESSON, tutor, { kind: 'text', text: 'two' })
    const file = path.join(dir, 'chat', LESSON, 'messages.jsonl')
    fs.appendFileSync(file, '{"id":"nonsense"}\n{"id":"6f1c2a4e-8d1b-4c7a-9e2f-0a1b2c3d4e5f","seq":3,"at":1,"fr')
    const log = await new FileChatStore(dir, logger).load(LESSON)
    expect(log.messages.map((m) => m.text)).toEqual(['one', 'two'])
    expect(logger.lines.some((l) => l.msg === 'Unreadable chat lines skipped')).toBe(true)
  })

  it('never turns a conversation or file id into a path outside its folder', async () => {
    const store = new FileChatStore(tempDir(), memoryLogger())
    await expect(store.load('../../etc')).rejects.toThrow()
    expect(await store.getFile(LESSON, '../../../etc/passwd')).toBeNull()
  })
})
