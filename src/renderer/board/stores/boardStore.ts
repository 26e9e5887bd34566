import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { MAX_PAGES } from '../../../shared/board/limits'
import { BoardLimitError, addPages, movePage, removePage } from '../../../shared/board/pageOps'
import type { BoardRejectReason } from '../../../shared/board/schema'
import { clearPage } from '../../../shared/board/strokeOps'
import type { LessonPass } from '../../lesson/LessonPass'
import { BoardSession, type PageInfo } from '../BoardSession'
import { importFile as runImport } from '../io/importFile'
import { ImportError } from '../io/importPlan'
import type { LinkState } from '../sync/BoardConnection'
import type { ToolId } from '../tools/types'

export const PALETTE = ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5', '#ffffff'] as const
export const HIGHLIGHTS = ['#ffd43b', '#69db7c', '#74c0fc', '#f783ac'] as const
export const WIDTHS = { pen: [3, 6, 12], hl: [16, 28, 44], shape: [3, 6, 12], text: [24, 36, 56] } as const

export type Notice =
  | { kind: 'import'; code: ImportError['code']; params: Record<string, number> }
  | { kind: 'rejected'; code: BoardRejectReason }
  | { kind: 'limit'; code: 'too_many_pages'; params: Record<string, number> }
  | { kind: 'export_failed' }

/** The lesson whose board was open in this tab, so a reload opens it again. */
const SHOWN_KEY = 'duet.boardShownFor'
/** How long "start on the page" stays up after a drag began off it. */
const OFF_PAGE_HINT_MS = 4000

function rememberShown(lessonId: string, on: boolean): void {
  try {
    if (on) sessionStorage.setItem(SHOWN_KEY, lessonId)
    else if (sessionStorage.getItem(SHOWN_KEY) === lessonId) sessionStorage.removeItem(SHOWN_KEY)
  } catch {
    // No storage (private mode): the board just starts closed after a reload.
  }
}

function wasShown(lessonId: string): boolean {
  try {
    return sessionStorage.getItem(SHOWN_KEY) === lessonId
  } catch {
    return false
  }
}

function widthGroup(tool: ToolId): keyof typeof WIDTHS {
  return tool === 'pen' || tool === 'hl' || tool === 'text' ? tool : 'shape'
}

/**
 * Board UI state and actions. The session (Yjs, connection, undo) is held
 * here but kept out of Vue's reactivity; its events update the few
 * reactive mirrors the components read.
 */
export const useBoardStore = defineStore('board', () => {
  const session = shallowRef<BoardSession | null>(null)
  const shown = ref(false)
  const tool = ref<ToolId>('pen')
  const inkColor = ref<string>(PALETTE[0])
  const highlightColor = ref<string>(HIGHLIGHTS[0])
  const widthIndex = ref<Record<keyof typeof WIDTHS, number>>({ pen: 1, hl: 1, shape: 1, text: 1 })
  const penMode = ref(false)
  const pages = ref<PageInfo[]>([])
  const pageId = ref<string | null>(null)
  const link = ref<LinkState>('connecting')
  const locked = ref(false)
  const follow = ref(false)
  /** Student only: following is on but they looked elsewhere. */
  const followPaused = ref(false)
  /** Student only: they chose to follow the tutor themselves (the tutor's "follow me" is off). */
  const followChosen = ref(false)
  /** A drag that would have started ink off the page just panned instead; the board says why. */
  const offPageHint = ref(false)
  let offPageTimer: ReturnType<typeof setTimeout> | null = null
  const notice = ref<Notice | null>(null)
  const busy = ref<null | 'import' | 'export'>(null)
  const exportProgress = ref(0)
  const undoVersion = ref(0)
  /** Bumped on document reset so views rebuild. */
  const docVersion = ref(0)
  const peersVersion = ref(0)
  const changedPages = ref(new Map<string, number>())

  const isTutor = computed(() => session.value?.isTutor ?? false)
  const canEdit = computed(() => isTutor.value || !locked.value)
  const color = computed(() => (tool.value === 'hl' ? highlightColor.value : inkColor.value))
  const width = computed(() => {
    const group = widthGroup(tool.value)
    return WIDTHS[group][widthIndex.value[group]] ?? WIDTHS[group][1]
  })
  const pageIndex = computed(() => pages.value.findIndex((p) => p.id === pageId.value))
  const canUndo = computed(() => (void undoVersion.value, canEdit.value && (session.value?.undo.canUndo ?? false)))
  const canRedo = computed(() => (void undoVersion.value, canEdit.value && (session.value?.undo.canRedo ?? false)))
  /** The tutor has the board open (a board shown publishes the part of the page it shows; a hidden one, none). */
  const tutorOnBoard = computed(() => (void peersVersion.value, session.value?.presence.peers().some((p) => p.user.role === 'tutor' && p.view !== null) ?? false))

  function syncPages(): void {
    pages.value = session.value?.pages() ?? []
    if (!pages.value.some((p) => p.id === pageId.value)) pageId.value = pages.value[0]?.id ?? null
  }

  /** Connects the board for this lesson (once per lesson; showing or hiding it keeps the connection). */
  function open(pass: LessonPass): void {
    if (session.value?.pass.lessonId === pass.lessonId && session.value.pass.token === pass.token) return
    close()
    const s = new BoardSession(pass)
    session.value = s
    s.events.on('pages', syncPages)
    s.events.on('reset', () => docVersion.value++)
    s.events.on('link', (state) => (link.value = state))
    s.events.on('locked', (on) => (locked.value = on))
    s.events.on('follow', (on) => {
      if (on && !follow.value) followPaused.value = false
      follow.value = on
    })
    s.events.on('rejected', (code) => (notice.value = { kind: 'rejected', code }))
    s.events.on('undo', () => undoVersion.value++)
    s.events.on('peers', () => peersVersion.value++)
    s.events.on('pageChanged', (id) => changedPages.value.set(id, (changedPages.value.get(id) ?? 0) + 1))
    syncPages()
    shown.value = wasShown(pass.lessonId)
  }

  watch(shown, (on) => {
    if (session.value) rememberShown(session.value.pass.lessonId, on)
  })

  function close(): void {
    session.value?.destroy()
    session.value = null
    shown.value = false
    pages.value = []
    pageId.value = null
    locked.value = follow.value = followPaused.value = followChosen.value = false
    link.value = 'connecting'
  }

  function setTool(next: ToolId): void {
    tool.value = next
  }

  function setColor(c: string): void {
    if (tool.value === 'hl') highlightColor.value = c
    else inkColor.value = c
  }

  function setWidthIndex(i: number): void {
    widthIndex.value = { ...widthIndex.value, [widthGroup(tool.value)]: i }
  }

  function goTo(id: string, byUser = true): void {
    if (!pages.value.some((p) => p.id === id)) return
    pageId.value = id
    if (byUser && (follow.value || followChosen.value) && !isTutor.value) followPaused.value = true
  }

  function step(delta: number): void {
    const next = pages.value[pageIndex.value + delta]
    if (next) goTo(next.id)
  }

  function guard(fn: (s: BoardSession) => void): void {
    const s = session.value
    if (!s || !canEdit.value) return
    try {
      s.undo.begin()
      fn(s)
    } catch (err) {
      if (err instanceof BoardLimitError) notice.value = { kind: 'limit', code: err.code, params: { max: MAX_PAGES } }
      else throw err
    }
  }

  function addPage(kind: 'blank' | 'grid'): void {
    guard((s) => {
      const [id] = addPages(s.doc, s.origin, [{ bg: { kind } }], pageIndex.value + 1)
      if (id) goTo(id)
    })
  }

  function deletePage(id: string): void {
    const i = pages.value.findIndex((p) => p.id === id)
    const neighbour = pages.value[i + 1] ?? pages.value[i - 1]
    guard((s) => removePage(s.doc, s.origin, id))
    if (id === pageId.value && neighbour) pageId.value = neighbour.id
    syncPages()
  }

  function reorder(id: string, toIndex: number): void {
    guard((s) => movePage(s.doc, s.origin, id, toIndex))
  }

  function clearCurrent(): void {
    if (!isTutor.value || !pageId.value) return
    const id = pageId.value
    guard((s) => clearPage(s.doc, s.origin, id))
  }

  function undo(): void {
    if (canEdit.value) session.value?.undo.undo()
  }

  function redo(): void {
    if (canEdit.value) session.value?.undo.redo()
  }

  async function importFile(file: File): Promise<void> {
    const s = session.value
    if (!s || !canEdit.value || busy.value) return
    busy.value = 'import'
    try {
      const [first] = await runImport(file, s.doc, s.origin, s.assets, pageIndex.value)
      if (first) goTo(first)
    } catch (err) {
      notice.value = err instanceof ImportError ? { kind: 'import', code: err.code, params: err.detail } : { kind: 'import', code: 'upload_failed', params: {} }
    } finally {
      busy.value = null
    }
  }

  /** The page shown now as a PNG and its file name (for an export, or homework), or null without a board. */
  async function pagePng(): Promise<{ blob: Blob; name: string } | null> {
    const s = session.value
    if (!s || !pageId.value) return null
    // jsPDF and the export code load only when someone exports.
    const { exportPagePng } = await import('../io/exportBoard')
    return { blob: await exportPagePng(s.doc, pageId.value, s.backgrounds), name: `duet-board-page-${pageIndex.value + 1}.png` }
  }

  async function exportPng(): Promise<void> {
    if (!session.value || !pageId.value || busy.value) return
    busy.value = 'export'
    try {
      const page = await pagePng()
      const { downloadBlob } = await import('../io/exportBoard')
      if (page) downloadBlob(page.blob, page.name)
    } catch {
      notice.value = { kind: 'export_failed' }
    } finally {
      busy.value = null
    }
  }

  async function exportPdf(): Promise<void> {
    const s = session.value
    if (!s || busy.value) return
    busy.value = 'export'
    exportProgress.value = 0
    try {
      const { downloadBlob, exportBoardPdf } = await import('../io/exportBoard')
      const blob = await exportBoardPdf(s.doc, pages.value.map((p) => p.id), s.backgrounds, (n) => (exportProgress.value = n))
      downloadBlob(blob, 'duet-board.pdf')
    } catch {
      notice.value = { kind: 'export_failed' }
    } finally {
      busy.value = null
    }
  }

  return {
    session,
    shown,
    tool,
    color,
    width,
    widthIndex,
    inkColor,
    highlightColor,
    penMode,
    pages,
    pageId,
    pageIndex,
    link,
    locked,
    follow,
    followPaused,
    followChosen,
    offPageHint,
    notice,
    busy,
    exportProgress,
    docVersion,
    peersVersion,
    changedPages,
    isTutor,
    canEdit,
    tutorOnBoard,
    canUndo,
    canRedo,
    open,
    close,
    setTool,
    setColor,
    setWidthIndex,
    goTo,
    step,
    addPage,
    deletePage,
    reorder,
    clearCurrent,
    undo,
    redo,
    importFile,
    exportPng,
    exportPdf,
    pagePng,
    toggleShown: () => {
      // Hiding the board while following means "not now": stop pulling this student back.
      if (shown.value && (follow.value || followChosen.value) && !isTutor.value) followPaused.value = true
      shown.value = !shown.value
    },
    setLocked: (on: boolean) => session.value?.setLocked(on),
    setFollow: (on: boolean) => session.value?.setFollow(on),
    /** Student: follow the tutor again, or for the first time by their own choice. */
    resumeFollow: () => {
      followPaused.value = false
      if (!follow.value) followChosen.value = true
    },
    noteOffPage: () => {
      offPageHint.value = true
      if (offPageTimer) clearTimeout(offPageTimer)
      offPageTimer = setTimeout(() => (offPageHint.value = false), OFF_PAGE_HINT_MS)
    },
    dismissNotice: () => (notice.value = null),
  }
})
