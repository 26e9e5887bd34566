import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { FileBoardStore } from '../../../../src/server/board/store'
import { decodeRecords, encodeRecord, logSeqs, readLog, UpdateLogWriter } from '../../../../src/server/board/updateLog'
import { memoryLogger } from '../helpers'

const LESSON = '0d6f1b7a-3c2e-4f51-9a8b-2e4c6d8f0a1b'
let dataDir = ''
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-board-store-'))
})
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const boardDir = () => path.join(dataDir, 'boards', LESSON)

/** A client doc whose every update is handed to `sink`, as the server receives them. */
function client(sink: (update: Uint8Array) => void): Y.Doc {
  const doc = new Y.Doc()
  doc.on('update', (update: Uint8Array) => sink(update))
  return doc
}

const contents = (state: Uint8Array | null): Record<string, unknown> => {
  const doc = new Y.Doc()
  if (state) Y.applyUpdate(doc, state)
  return doc.getMap('pages').toJSON()
}

describe('board update log', () => {
  it('reads back every whole record and stops at a torn tail', () => {
    const a = Uint8Array.from([1, 2, 3])
    const b = new Uint8Array(1000).fill(7)
    const bytes = Buffer.concat([encodeRecord(a), encodeRecord(b)])
    expect(decodeRecords(bytes)).toEqual({ updates: [a, b], tornBytes: 0 })
    // Cut anywhere inside the second record: the first survives.
    for (const cut of [bytes.length - 1, encodeRecord(a).length + 3, encodeRecord(a).length + 8]) {
      expect(decodeRecords(bytes.subarray(0, cut))).toEqual({ updates: [a], tornBytes: cut - encodeRecord(a).length })
    }
    // A flipped bit in the payload fails the checksum: that record and anything after it are not trusted.
    const flipped = Buffer.from(bytes)
    flipped[encodeRecord(a).length + 8 + 500]! ^= 1
    expect(decodeRecords(flipped).updates).toEqual([a])
  })

  it('starts a new file after each rotation and after a failed write, never appending after a torn record', () => {
    const dir = boardDir()
    const log = new UpdateLogWriter(dir, 0)
    log.append(Uint8Array.from([1]))
    log.append(Uint8Array.from([2]))
    expect(log.rotate()).toBe(1)
    log.append(Uint8Array.from([3]))
    log.close()
    expect(logSeqs(dir)).toEqual([1, 2])
    // A crash mid-write leaves a torn tail in file 2; the next process writes file 3.
    fs.appendFileSync(path.join(dir, 'updates-2.log'), Buffer.from([9, 0, 0]))
    const read = readLog(dir)
    expect(read).toEqual({ updates: [Uint8Array.from([1]), Uint8Array.from([2]), Uint8Array.from([3])], lastSeq: 2, tornBytes: 3 })
    const next = new UpdateLogWriter(dir, read.lastSeq)
    next.append(Uint8Array.from([4]))
    next.close()
    expect(readLog(dir).updates).toHaveLength(4)
    expect(logSeqs(dir)).toEqual([1, 2, 3])
  })
})

describe('file board store: saved state plus log', () => {
  it('loads the saved state with every update logged after it (a crash before any compaction)', () => {
    const store = new FileBoardStore(dataDir, memoryLogger())
    expect(store.loadDoc(LESSON)).toBeNull()
    const doc = client((u) => store.appendUpdate(LESSON, u))
    doc.getMap('pages').set('p1', 'first')
    doc.getMap('pages').set('p2', 'second')
    // No save, no close: as after kill -9.
    const reopened = new FileBoardStore(dataDir, memoryLogger())
    expect(contents(reopened.loadDoc(LESSON))).toEqual({ p1: 'first', p2: 'second' })
  })

  it('compaction cuts the log at the moment the state is captured: later updates stay in the log', async () => {
    const store = new FileBoardStore(dataDir, memoryLogger())
    store.loadDoc(LESSON)
    const doc = client((u) => store.appendUpdate(LESSON, u))
    doc.getMap('pages').set('p1', 'before')
    const saving = store.saveDoc(LESSON, Y.encodeStateAsUpdate(doc))
    // Drawn while the state is being written.
    doc.getMap('pages').set('p2', 'during')
    await saving
    expect(logSeqs(boardDir())).toEqual([2])
    const saved = contents(new Uint8Array(fs.readFileSync(path.join(boardDir(), 'board.ydoc'))))
    expect(saved).toEqual({ p1: 'before' })
    expect(contents(new FileBoardStore(dataDir, memoryLogger()).loadDoc(LESSON))).toEqual({ p1: 'before', p2: 'during' })
  })

  it('keeps the log when the state cannot be written, and the next compaction removes it all', async () => {
    const store = new FileBoardStore(dataDir, memoryLogger())
    store.loadDoc(LESSON)
    const doc = client((u) => store.appendUpdate(LESSON, u))
    doc.getMap('pages').set('p1', 'kept')
    // A folder where the file should go: the rename fails.
    fs.mkdirSync(path.join(boardDir(), 'board.ydoc', 'x'), { recursive: true })
    await expect(store.saveDoc(LESSON, Y.encodeStateAsUpdate(doc))).rejects.toThrow()
    expect(logSeqs(boardDir())).toEqual([1])
    expect(fs.readdirSync(boardDir()).filter((n) => n.endsWith('.tmp'))).toEqual([])
    fs.rmSync(path.join(boardDir(), 'board.ydoc'), { recursive: true })
    doc.getMap('pages').set('p2', 'later')
    await store.saveDoc(LESSON, Y.encodeStateAsUpdate(doc))
    expect(logSeqs(boardDir())).toEqual([])
    expect(contents(new FileBoardStore(dataDir, memoryLogger()).loadDoc(LESSON))).toEqual({ p1: 'kept', p2: 'later' })
  })

  it('writes compactions in the order their states were captured', async () => {
    const store = new FileBoardStore(dataDir, memoryLogger())
    store.loadDoc(LESSON)
    const doc = client((u) => store.appendUpdate(LESSON, u))
    const saves: Promise<void>[] = []
    for (let i = 0; i < 5; i++) {
      doc.getMap('pages').set(`p${i}`, i)
      saves.push(store.saveDoc(LESSON, Y.encodeStateAsUpdate(doc)))
    }
    await Promise.all(saves)
    expect(Object.keys(contents(new Uint8Array(fs.readFileSync(path.join(boardDir(), 'board.ydoc')))))).toHaveLength(5)
    expect(logSeqs(boardDir())).toEqual([])
  })

  it('replays a log onto an empty board when the saved state is unreadable, and logs the torn tail', () => {
    const logger = memoryLogger()
    const store = new FileBoardStore(dataDir, logger)
    store.loadDoc(LESSON)
    const doc = client((u) => store.appendUpdate(LESSON, u))
    doc.getMap('pages').set('p1', 'logged')
    store.closeDoc(LESSON)
    fs.writeFileSync(path.join(boardDir(), 'board.ydoc'), Buffer.from([0, 1, 2, 250, 250, 250]))
    fs.appendFileSync(path.join(boardDir(), 'updates-1.log'), Buffer.from([1, 2]))
    const reopened = new FileBoardStore(dataDir, logger)
    expect(contents(reopened.loadDoc(LESSON))).toEqual({ p1: 'logged' })
    expect(logger.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['Unreadable board moved aside', expect.stringContaining('torn record')]))
  })

  it('never reuses a log file number in one process, even after the files were compacted away and the board reloaded', async () => {
    const store = new FileBoardStore(dataDir, memoryLogger())
    store.loadDoc(LESSON)
    const doc = client((u) => store.appendUpdate(LESSON, u))
    doc.getMap('pages').set('p1', 1)
    await store.saveDoc(LESSON, Y.encodeStateAsUpdate(doc))
    expect(logSeqs(boardDir())).toEqual([])
    store.closeDoc(LESSON)
    store.loadDoc(LESSON)
    doc.getMap('pages').set('p2', 2)
    expect(logSeqs(boardDir())).toEqual([2])
  })

  it('removes the log with the board', () => {
    const store = new FileBoardStore(dataDir, memoryLogger())
    store.loadDoc(LESSON)
    store.appendUpdate(LESSON, Y.encodeStateAsUpdate(client(() => {})))
    store.remove(LESSON)
    expect(fs.existsSync(boardDir())).toBe(false)
  })
})
