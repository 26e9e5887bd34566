import mitt from 'mitt'
import * as Y from 'yjs'
import { STROKE_KEY, followOn, pageIds, readPage, roots, type PageRef } from '../../shared/board/layout'
import { ensureFirstPage, setFollow } from '../../shared/board/pageOps'
import type { BoardRejectReason, PageAttrs } from '../../shared/board/schema'
import { finishStroke, isFinished } from '../../shared/board/strokeOps'
import { BoardUndo } from '../../shared/board/undo'
import type { LessonPass } from '../lesson/LessonPass'
import { AssetClient } from './io/assetClient'
import { BackgroundCache } from './io/backgrounds'
import { BoardConnection, type LinkState } from './sync/BoardConnection'
import { Presence } from './sync/Presence'

export interface PageInfo {
  id: string
  attrs: PageAttrs
}

type Events = {
  /** The document was replaced (read-only reset or a refused update): rebuild views. */
  reset: void
  pages: void
  link: LinkState
  locked: boolean
  follow: boolean
  rejected: BoardRejectReason
  undo: void
  /** A page's strokes changed (for thumbnails). */
  pageChanged: string
  peers: void
  /** Something became drawable (a background finished loading). */
  redraw: void
}

export const PERSON_COLORS = { tutor: '#2563eb', student: '#d6336c' } as const

/**
 * One person's board for one lesson: the connection, this person's undo
 * history and presence, course-material assets, and the board state the UI
 * shows. A student made view-only with unsent edits (or any client whose
 * update the server refused) starts again from the server's copy, so both
 * sides always agree.
 */
export class BoardSession {
  readonly events = mitt<Events>()
  readonly selfId: string
  /** Every local edit uses this origin; undo tracks only it. */
  readonly origin = { who: 'me' }
  readonly assets: AssetClient
  readonly backgrounds: BackgroundCache
  conn!: BoardConnection
  undo!: BoardUndo
  presence!: Presence
  private localSinceAck = false
  private cleanup: (() => void)[] = []

  constructor(readonly pass: LessonPass) {
    this.selfId = pass.participantId
    this.assets = new AssetClient(pass.server, pass.lessonId, pass.token)
    this.backgrounds = new BackgroundCache(this.assets, () => this.events.emit('redraw'))
    this.connect()
  }

  get doc(): Y.Doc {
    return this.conn.doc
  }

  get isTutor(): boolean {
    return this.pass.role === 'tutor'
  }

  /** May this person change the board right now? */
  get canEdit(): boolean {
    return this.isTutor || !this.conn.locked
  }

  private connect(): void {
    const conn = new BoardConnection(this.pass.server, this.pass.lessonId, this.pass.token)
    this.conn = conn
    this.undo = new BoardUndo(conn.doc, this.origin)
    this.presence = new Presence(conn.awareness, { id: this.selfId, name: this.pass.selfName, role: this.pass.role, color: PERSON_COLORS[this.pass.role] })
    this.localSinceAck = false
    const { order, pages, meta } = roots(conn.doc)
    const emitPages = () => this.events.emit('pages')
    const emitFollow = () => this.events.emit('follow', followOn(conn.doc))
    const emitUndo = () => this.events.emit('undo')
    const onDeep = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const touched = new Set<string>()
      for (const e of events) if (typeof e.path[0] === 'string') touched.add(e.path[0])
      touched.forEach((id) => this.events.emit('pageChanged', id))
    }
    const onUpdate = (_u: Uint8Array, origin: unknown) => {
      if (origin === this.origin || origin === this.undo.manager) this.localSinceAck = true
    }
    order.observe(emitPages)
    pages.observe(emitPages)
    pages.observeDeep(onDeep)
    meta.observe(emitFollow)
    conn.doc.on('update', onUpdate)
    this.undo.manager.on('stack-item-added', emitUndo)
    this.undo.manager.on('stack-item-popped', emitUndo)
    conn.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
      if (number === 0) this.localSinceAck = false
    })
    this.presence.events.on('change', () => this.events.emit('peers'))
    conn.events.on('state', (state) => {
      if (state === 'online') this.backgrounds.retryFailed()
      this.events.emit('link', state)
    })
    conn.events.on('synced', () => {
      if (this.canEdit) {
        ensureFirstPage(conn.doc, this.origin)
        this.finishLeftovers()
      }
      emitPages()
      emitFollow()
    })
    conn.events.on('locked', (locked) => {
      this.events.emit('locked', locked)
      // Edits the server will refuse must not linger here: start again from its copy.
      if (locked && !this.isTutor && this.localSinceAck) this.reset()
    })
    conn.events.on('rejected', (reason) => {
      this.events.emit('rejected', reason)
      if (reason !== 'forbidden') this.reset()
    })
    this.cleanup = [
      () => conn.doc.off('update', onUpdate),
      () => this.undo.destroy(),
      () => this.presence.destroy(),
    ]
  }

  /** Replaces the document with a fresh copy from the server. */
  reset(): void {
    const old = this.conn
    const oldCleanup = this.cleanup
    this.connect()
    oldCleanup.forEach((fn) => fn())
    old.destroy()
    this.events.emit('reset')
    this.events.emit('pages')
  }

  /** My own strokes left unfinished by a crash or reload are finished, so they settle on both sides. */
  private finishLeftovers(): void {
    for (const id of pageIds(this.doc)) {
      const page = readPage(this.doc, id)
      page?.strokes.forEach((map, strokeId) => {
        if (isFinished(map)) return
        const attrs = map.get(STROKE_KEY.attrs) as { by?: unknown } | undefined
        if (attrs?.by === this.selfId) finishStroke(this.doc, this.origin, id, strokeId)
      })
    }
  }

  pages(): PageInfo[] {
    return pageIds(this.doc).flatMap((id) => {
      const page = readPage(this.doc, id)
      return page ? [{ id, attrs: page.attrs }] : []
    })
  }

  page(id: string): PageRef | null {
    return readPage(this.doc, id)
  }

  setLocked(locked: boolean): void {
    if (this.isTutor) this.conn.send({ type: 'set-lock', locked })
  }

  setFollow(on: boolean): void {
    if (this.isTutor) setFollow(this.doc, this.origin, on)
  }

  destroy(): void {
    this.cleanup.forEach((fn) => fn())
    this.conn.destroy()
    this.backgrounds.destroy()
    this.events.all.clear()
  }
}
