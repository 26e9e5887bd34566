import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SignJWT } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { pageIds, readPage, roots } from '../../../../src/shared/board/layout'
import { MAX_UPDATE_BYTES, SERVER_MAX_PAGES } from '../../../../src/shared/board/limits'
import { addPages, ensureFirstPage, newId } from '../../../../src/shared/board/pageOps'
import { quantize } from '../../../../src/shared/board/points'
import { beginFreehand, finishStroke } from '../../../../src/shared/board/strokeOps'
import WebSocket from 'ws'
import { BOARD_PATH } from '../../../../src/shared/board/limits'
import { PREAUTH_LIMITS } from '../../../../src/server/board/preauth'
import { FileBoardStore } from '../../../../src/server/board/store'
import { TestClient, createLesson, fakeClock, joinLesson, memoryLogger, serversClosedAfterEach, startServer } from '../helpers'
import { authFrame, boardClient, frame, rawBoardSocket, syncedClient, until, updateFrame, type BoardClient } from '../../../support/boardClient'

const start = serversClosedAfterEach()
let clients: BoardClient[] = []
afterEach(() => {
  clients.forEach((c) => c.destroy())
  clients = []
})
const track = (c: BoardClient): BoardClient => (clients.push(c), c)

function draw(doc: Y.Doc, by: string): string {
  const [page] = pageIds(doc)
  if (!page) throw new Error('no page')
  const id = beginFreehand(doc, doc.clientID, page, { t: 'pen', c: '#1e1e1e', w: 4, by, z: 1 }, [...quantize(1, 1, 0.5), ...quantize(50, 60, 0.5)]) as string
  finishStroke(doc, doc.clientID, page, id)
  return id
}

const strokeIds = (doc: Y.Doc): string[] => {
  const page = pageIds(doc)[0]
  return page ? [...(readPage(doc, page)?.strokes.keys() ?? [])].sort() : []
}

async function lessonWithBoard(server: Awaited<ReturnType<typeof start>>) {
  const lesson = await createLesson(server)
  const join = await joinLesson(server, lesson.inviteCode)
  const tutor = track(await syncedClient(server, lesson.lessonId, lesson.tutorToken))
  ensureFirstPage(tutor.doc, 'tutor')
  const student = track(await syncedClient(server, lesson.lessonId, join.studentToken))
  await until(() => pageIds(student.doc).length === 1, 'first page on the student side')
  return { lesson, join, tutor, student }
}

describe('board server: who may connect', () => {
  it("lets the lesson's tutor and student in, and each sees the other's strokes", async () => {
    const server = await start()
    const { tutor, student } = await lessonWithBoard(server)
    const t = draw(tutor.doc, 'tutor')
    const s = draw(student.doc, 'student')
    await until(() => strokeIds(tutor.doc).length === 2 && strokeIds(student.doc).length === 2, 'both strokes on both sides')
    expect(strokeIds(tutor.doc)).toEqual([t, s].sort())
    expect(tutor.messages).toContainEqual({ type: 'board-state', locked: false })
  })

  it('refuses a forged token, a token of another lesson, an expired token and an ended lesson', async () => {
    const clock = fakeClock()
    const server = await start({ now: clock.now, tokenTtlMs: 3_600_000 })
    const a = await createLesson(server, 'Tutor A')
    const b = await createLesson(server, 'Tutor B')
    const forged = await new SignJWT({ lid: a.lessonId, role: 'tutor', name: 'Eve' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('eve')
      .setIssuer('duet')
      .setExpirationTime('1h')
      .sign(new Uint8Array(32).fill(7))
    for (const token of [forged, b.tutorToken, 'not-a-token', '']) {
      const c = track(boardClient(server, a.lessonId, token))
      await until(() => c.denied !== null, 'denial')
      expect(c.denied).toBe('unauthorized')
      expect(c.provider.isSynced).toBe(false)
    }
    const join = await joinLesson(server, a.inviteCode)
    clock.advance(3_600_000 + 1000)
    const late = track(boardClient(server, a.lessonId, join.studentToken))
    await until(() => late.denied !== null, 'denial of an expired token')
    expect(late.denied).toBe('unauthorized')

    const ended = await startServer({ dataDir: null })
    try {
      const lesson = await createLesson(ended)
      const tutorWs = track(await syncedClient(ended, lesson.lessonId, lesson.tutorToken))
      // The tutor ends the lesson on the lesson socket.
      const ws = await TestClient.join(ended, lesson.tutorToken)
      await ws.next('welcome')
      ws.send({ type: 'end-lesson' })
      await ws.next('lesson-ended')
      await until(() => tutorWs.closed, 'board connection closed when the lesson ended')
      const again = track(boardClient(ended, lesson.lessonId, lesson.tutorToken))
      await until(() => again.denied !== null, 'denial after the end')
      expect(again.denied).toBe('lesson_ended')
    } finally {
      await ended.close()
    }
  })
})

describe('board server: view-only student', () => {
  it('applies the lock on the server: the student’s updates are not applied, even sent directly', async () => {
    const server = await start()
    const { lesson, join, tutor, student } = await lessonWithBoard(server)
    tutor.provider.sendStateless(JSON.stringify({ type: 'set-lock', locked: true }))
    await until(() => student.messages.some((m) => m.type === 'board-state' && m.locked), 'lock reaches the student')

    // Through the normal provider: the edit stays local.
    draw(student.doc, 'student')
    // And as a raw update on a bare socket.
    const rogue = new Y.Doc()
    Y.applyUpdate(rogue, Y.encodeStateAsUpdate(tutor.doc))
    draw(rogue, 'student')
    const raw = await rawBoardSocket(server, lesson.lessonId, join.studentToken)
    raw.ws.send(updateFrame(lesson.lessonId, Y.encodeStateAsUpdate(rogue)))
    await new Promise((r) => setTimeout(r, 300))
    expect(strokeIds(tutor.doc)).toEqual([])
    const observer = track(await syncedClient(server, lesson.lessonId, lesson.tutorToken))
    expect(strokeIds(observer.doc)).toEqual([])
    raw.ws.close()

    // Unlocked: a fresh student connection may draw again.
    tutor.provider.sendStateless(JSON.stringify({ type: 'set-lock', locked: false }))
    await until(() => student.messages.some((m) => m.type === 'board-state' && !m.locked), 'unlock reaches the student')
    const fresh = track(await syncedClient(server, lesson.lessonId, join.studentToken))
    const id = draw(fresh.doc, 'student')
    await until(() => strokeIds(tutor.doc).includes(id), 'student stroke after unlock')
  })

  it('keeps the lock for students who connect later, and only the tutor may set it', async () => {
    const server = await start()
    const { lesson, join, tutor, student } = await lessonWithBoard(server)
    student.provider.sendStateless(JSON.stringify({ type: 'set-lock', locked: true }))
    await until(() => student.messages.some((m) => m.type === 'rejected'), 'refusal')
    expect(student.messages).toContainEqual({ type: 'rejected', reason: 'forbidden' })
    tutor.provider.sendStateless(JSON.stringify({ type: 'set-lock', locked: true }))
    await until(() => tutor.messages.filter((m) => m.type === 'board-state').length >= 2, 'lock echo')
    const later = track(await syncedClient(server, lesson.lessonId, join.studentToken))
    expect(later.provider.authorizedScope).toBe('readonly')
    expect(later.messages).toContainEqual({ type: 'board-state', locked: true })
  })
})

describe('board server: bad input', () => {
  async function refusedWith(server: Awaited<ReturnType<typeof start>>, lessonId: string, token: string, data: Uint8Array) {
    const raw = await rawBoardSocket(server, lessonId, token)
    raw.frames.length = 0
    raw.ws.send(data)
    await until(() => raw.frames.some((f) => f.includes(Buffer.from('"rejected"'))), 'a rejected message')
    const text = raw.frames.map((f) => f.toString('latin1')).join('')
    raw.ws.close()
    return /"reason":"(\w+)"/.exec(text)?.[1]
  }

  it('refuses corrupt, oversized, foreign and page-flooding updates; the board and server carry on', async () => {
    const server = await start()
    const { lesson, tutor } = await lessonWithBoard(server)
    const id = lesson.lessonId
    const token = lesson.tutorToken
    const before = Y.encodeStateAsUpdate(tutor.doc)

    expect(await refusedWith(server, id, token, updateFrame(id, Uint8Array.from([1, 2, 3, 4, 250, 251, 252])))).toBe('bad_update')
    // Valid structs followed by a broken delete set: Yjs alone would apply the first half.
    const valid = new Y.Doc()
    valid.getMap('pages').set('x', 1)
    const halfGood = Y.encodeStateAsUpdate(valid)
    expect(await refusedWith(server, id, token, updateFrame(id, Uint8Array.from([...halfGood.subarray(0, -1), 7, 9])))).toBe('bad_update')

    const junkRoot = new Y.Doc()
    junkRoot.getText('spam').insert(0, 'hello')
    expect(await refusedWith(server, id, token, updateFrame(id, Y.encodeStateAsUpdate(junkRoot)))).toBe('bad_update')

    const flood = new Y.Doc()
    Y.applyUpdate(flood, Y.encodeStateAsUpdate(tutor.doc))
    flood.transact(() => {
      for (let i = 0; i < SERVER_MAX_PAGES; i++) {
        const page = new Y.Map()
        roots(flood).pages.set(newId(), page)
      }
    })
    expect(await refusedWith(server, id, token, updateFrame(id, Y.encodeStateAsUpdate(flood, Y.encodeStateVector(tutor.doc))))).toBe('too_many_pages')

    const big = new Y.Doc()
    big.getMap('meta').set('blob', new Uint8Array(MAX_UPDATE_BYTES + 10))
    expect(await refusedWith(server, id, token, updateFrame(id, Y.encodeStateAsUpdate(big)))).toBe('too_large')
    expect(await refusedWith(server, id, token, frame(id, 6, Uint8Array.from([3, 0x61, 0x62, 0x63])))).toBe('forbidden')

    // Nothing of it reached the board, and honest clients keep working.
    const observer = track(await syncedClient(server, id, token))
    expect(Y.encodeStateAsUpdate(observer.doc)).toEqual(before)
    const drawn = draw(tutor.doc, 'tutor')
    await until(() => strokeIds(observer.doc).includes(drawn), 'a normal stroke after the bad input')
  })

  it('cuts a frame past what a real update needs at the socket', async () => {
    const server = await start()
    const { lesson } = await lessonWithBoard(server)
    const raw = await rawBoardSocket(server, lesson.lessonId, lesson.tutorToken)
    const closed = new Promise<number>((resolve) => raw.ws.once('close', (code) => resolve(code)))
    raw.ws.send(new Uint8Array(MAX_UPDATE_BYTES + 128 * 1024))
    expect(await closed).toBe(1009)
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  })
})

describe('board server: sockets that have not authenticated', () => {
  async function bareSocket(server: Awaited<ReturnType<typeof start>>): Promise<{ ws: WebSocket; closed: Promise<number> }> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${BOARD_PATH}`)
    ws.on('error', () => {})
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return { ws, closed }
  }

  it('cuts a socket flooding before authentication, logs it, and the lesson carries on', async () => {
    const logger = memoryLogger()
    const server = await start({ logger })
    const { lesson, tutor, student } = await lessonWithBoard(server)
    const flood = await bareSocket(server)
    const big = updateFrame(lesson.lessonId, new Uint8Array(1024 * 1024))
    for (let i = 0; i < 8 && flood.ws.readyState === WebSocket.OPEN; i++) flood.ws.send(big)
    expect(await flood.closed).toBe(1006)
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'Board socket closed before authentication', fields: expect.objectContaining({ reason: 'flood', ip: '127.0.0.1' }) }))

    // Many small frames, and a name never authenticated on an otherwise honest socket.
    const chatty = await bareSocket(server)
    for (let i = 0; i <= PREAUTH_LIMITS.maxFrames; i++) chatty.ws.send(updateFrame(lesson.lessonId, new Uint8Array(4)))
    expect(await chatty.closed).toBe(1006)
    const raw = await rawBoardSocket(server, lesson.lessonId, lesson.tutorToken)
    const rawClosed = new Promise<number>((resolve) => raw.ws.once('close', (code) => resolve(code)))
    for (let i = 0; i <= PREAUTH_LIMITS.maxFrames; i++) raw.ws.send(authFrame('a-name-nobody-authenticates', 'x'))
    expect(await rawClosed).toBe(1006)

    const id = draw(tutor.doc, 'tutor')
    await until(() => strokeIds(student.doc).includes(id), 'a stroke after the floods')
  })

  it('lets an honest client draw while it connects: those frames are within the caps', async () => {
    const server = await start()
    const { lesson, tutor } = await lessonWithBoard(server)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(tutor.doc))
    const late = track(boardClient(server, lesson.lessonId, lesson.tutorToken, doc))
    const ids = Array.from({ length: 20 }, () => draw(doc, 'tutor'))
    await until(() => late.provider.isSynced && ids.every((id) => strokeIds(tutor.doc).includes(id)), 'strokes drawn while connecting')
  })

  it('refuses more waiting sockets from one address than the cap', async () => {
    const server = await start()
    const waiting = await Promise.all(Array.from({ length: PREAUTH_LIMITS.maxPendingSocketsPerAddress }, () => bareSocket(server)))
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}${BOARD_PATH}`)
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))
    expect(status).toBe(429)
    waiting[0]!.ws.close()
    await waiting[0]!.closed
    const again = await bareSocket(server)
    expect(again.ws.readyState).toBe(WebSocket.OPEN)
    for (const w of [...waiting, again]) w.ws.close()
  })
})

describe('board server: durability', () => {
  // Two starts, each opening the embedded database of the data folder: slow on a loaded machine.
  it('keeps the board across a server restart (data dir)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-board-'))
    try {
      const first = await startServer({ dataDir })
      const lesson = await createLesson(first)
      const tutor = await syncedClient(first, lesson.lessonId, lesson.tutorToken)
      ensureFirstPage(tutor.doc, 'tutor')
      addPages(tutor.doc, 'tutor', [{ bg: { kind: 'grid' } }])
      const ids = [draw(tutor.doc, 'tutor'), draw(tutor.doc, 'tutor')].sort()
      await until(() => tutor.provider.unsyncedChanges === 0, 'server acknowledged the strokes')
      await first.close()
      tutor.destroy()
      expect(fs.readdirSync(path.join(dataDir, 'boards', lesson.lessonId))).toContain('board.ydoc')

      const second = await startServer({ dataDir })
      try {
        const back = track(await syncedClient(second, lesson.lessonId, lesson.tutorToken))
        expect(pageIds(back.doc)).toHaveLength(2)
        expect(strokeIds(back.doc)).toEqual(ids)
      } finally {
        await second.close()
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)

  it('has every stroke the other person saw on disk at once, before any save', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-board-'))
    try {
      const server = await start({ dataDir })
      const { lesson, tutor, student } = await lessonWithBoard(server)
      const ids: string[] = []
      for (let i = 0; i < 5; i++) {
        ids.push(draw(tutor.doc, 'tutor'))
        await until(() => strokeIds(student.doc).includes(ids[i]!), 'the student sees the stroke')
        // What a server started on this folder now would load (as after kill -9), while this one keeps running.
        const onDisk = new Y.Doc()
        Y.applyUpdate(onDisk, new FileBoardStore(dataDir, memoryLogger()).loadDoc(lesson.lessonId) ?? new Uint8Array([0, 0]))
        expect(strokeIds(onDisk)).toEqual([...ids].sort())
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('moves an unreadable board file aside and starts that board empty', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-board-'))
    try {
      const first = await startServer({ dataDir })
      const lesson = await createLesson(first)
      await first.close()
      const dir = path.join(dataDir, 'boards', lesson.lessonId)
      fs.mkdirSync(dir, { recursive: true })
      fs.writeFileSync(path.join(dir, 'board.ydoc'), Buffer.from([0, 1, 2, 250, 250, 250]))
      const second = await startServer({ dataDir })
      try {
        const c = track(await syncedClient(second, lesson.lessonId, lesson.tutorToken))
        expect(pageIds(c.doc)).toEqual([])
        expect(fs.readdirSync(dir).some((n) => n.startsWith('board.ydoc.corrupt-'))).toBe(true)
      } finally {
        await second.close()
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('keeps a memory-only board while nobody is connected', async () => {
    const server = await start({ dataDir: null })
    const { lesson, tutor, student } = await lessonWithBoard(server)
    const id = draw(tutor.doc, 'tutor')
    await until(() => tutor.provider.unsyncedChanges === 0, 'acknowledged')
    tutor.destroy()
    student.destroy()
    await new Promise((r) => setTimeout(r, 100))
    const back = track(await syncedClient(server, lesson.lessonId, lesson.tutorToken))
    expect(strokeIds(back.doc)).toEqual([id])
  })

  it('merges what an offline student drew when they reconnect, with nothing doubled', async () => {
    const server = await start()
    const { tutor, student } = await lessonWithBoard(server)
    student.provider.configuration.websocketProvider.disconnect()
    await until(() => !student.provider.isSynced, 'student offline')
    const offline = [draw(student.doc, 'student'), draw(student.doc, 'student')]
    const online = draw(tutor.doc, 'tutor')
    await new Promise((r) => setTimeout(r, 100))
    expect(strokeIds(tutor.doc)).toEqual([online])
    await student.provider.configuration.websocketProvider.connect()
    await until(() => strokeIds(tutor.doc).length === 3 && strokeIds(student.doc).length === 3, 'merge after reconnect')
    expect(strokeIds(tutor.doc)).toEqual([...offline, online].sort())
    expect(strokeIds(student.doc)).toEqual(strokeIds(tutor.doc))
  })
})

describe('board server: bytes on the wire', () => {
  it('does not compress the board socket: each message would take a round trip through the thread pool', async () => {
    const server = await start()
    const { lesson } = await lessonWithBoard(server)
    const raw = await rawBoardSocket(server, lesson.lessonId, lesson.tutorToken)
    expect(raw.ws.extensions).not.toContain('permessage-deflate')
    raw.ws.close()
  })
})
