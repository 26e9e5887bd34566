import { onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref } from 'vue'
import type { StrokeData } from '../../../shared/board/layout'
import type { BoardSession } from '../BoardSession'
import { BoardRenderer } from '../render/BoardRenderer'
import { Viewport } from '../render/Viewport'
import { PageScene } from '../scene/PageScene'
import { useBoardStore } from '../stores/boardStore'
import { PointerInput } from '../tools/PointerInput'
import { createTools, type ToolSet } from '../tools/toolSet'
import { EDITING_TOOLS, INK_TOOLS, type Tool, type ToolHost } from '../tools/types'

/** Space around a fitted page, so its edge shows. */
const FIT_MARGIN_PX = 12

export interface TextEdit {
  pageId: string
  x: number
  y: number
  existing: StrokeData | null
}

/**
 * Wires the board canvas: viewport, renderer, the scene of the page on
 * screen, pointer input and the tools. The component only provides the
 * elements; `viewChanged` lets follow mode hear about user navigation.
 */
export function useBoardCanvas(session: BoardSession, canvas: Ref<HTMLCanvasElement | null>, onUserView: () => void, onView: () => void) {
  const store = useBoardStore()
  const viewport = new Viewport()
  const textEdit = ref<TextEdit | null>(null)
  const scene = shallowRef<PageScene | null>(null)
  let renderer: BoardRenderer | null = null
  let input: PointerInput | null = null
  let resize: ResizeObserver | null = null
  /** Until the person navigates, the page stays fitted when the board resizes. */
  let autoFit = true

  const host: ToolHost = {
    get doc() {
      return session.doc
    },
    origin: session.origin,
    get undo() {
      return session.undo
    },
    selfId: session.selfId,
    get pageId() {
      return store.pageId ?? ''
    },
    get scene() {
      return scene.value as PageScene
    },
    viewport,
    style: () => ({ color: store.color, width: store.width }),
    requestFrame: () => renderer?.requestFrame(),
    sendNow: () => session.conn.sendNow(),
    editText: (at, existing) => {
      if (store.pageId) textEdit.value = { pageId: store.pageId, x: existing?.geometry?.[0] ?? at.x, y: existing?.geometry?.[1] ?? at.y, existing }
    },
    setLaser: (pts) => session.presence.setLaser(store.pageId ?? '', pts),
  }
  const tools: ToolSet = createTools(host)

  /** The tool for input right now, or null when this person may not draw (drags then pan). */
  function activeTool(): Tool | null {
    // Asked on every pointer event: the renderer keeps its frames short while someone draws.
    renderer?.noteInput()
    if (!scene.value || textEdit.value) return null
    if (EDITING_TOOLS.has(store.tool) && !store.canEdit) return null
    return tools.get(store.tool)
  }

  function showPage(fit: boolean): void {
    input?.interrupt()
    tools.select.clear()
    scene.value?.destroy()
    const page = store.pageId ? session.page(store.pageId) : null
    scene.value = page ? new PageScene(page) : null
    renderer?.setPage(scene.value, page?.attrs ?? null)
    if (fit && page) {
      fitPage(page.attrs.w, page.attrs.h)
      autoFit = true
    }
    onView()
  }

  /**
   * Every page fills the board's width, as a PDF reader opens a document:
   * no dark margins beside the page; what is below is a scroll away.
   */
  function fitPage(w: number, h: number): void {
    viewport.fitWidth(w, h, FIT_MARGIN_PX)
  }

  function sizeCanvas(): void {
    const el = canvas.value
    if (!el) return
    const rect = el.getBoundingClientRect()
    const dpr = window.devicePixelRatio || 1
    viewport.resize(rect.width, rect.height, dpr)
    el.width = Math.round(rect.width * viewport.dpr)
    el.height = Math.round(rect.height * viewport.dpr)
    const attrs = scene.value?.page.attrs
    if (autoFit && attrs) {
      fitPage(attrs.w, attrs.h)
      onView()
    }
    renderer?.requestFrame()
  }

  onMounted(() => {
    const el = canvas.value
    if (!el) return
    renderer = new BoardRenderer(el, viewport, session.backgrounds, {
      overlay: (ctx) => tools.get(store.tool)?.paint?.(ctx, viewport.zoom),
      peers: () => session.presence.peers(),
      ownLaser: () => tools.laser.points(),
      pageId: () => store.pageId ?? '',
    })
    // What was painted, for tests and the benchmark (one cheap event per painted frame).
    renderer.onFrame = (complete) => {
      const stats = renderer?.stats
      el.dispatchEvent(
        new CustomEvent('board:frame', {
          // ms: main-thread time the frame took to paint (less sensitive to a busy machine than the frame rate).
          detail: { complete, strokes: scene.value?.strokes.size ?? 0, lasers: stats?.peerLasers ?? 0, cursors: stats?.peerCursors ?? 0, ms: stats?.lastFrameMs ?? 0 },
        }),
      )
    }
    input = new PointerInput(el, {
      viewport,
      tool: activeTool,
      viewChanged: () => {
        renderer?.noteInput()
        const attrs = scene.value?.page.attrs
        if (attrs) viewport.clampTo(attrs.w, attrs.h)
        renderer?.requestFrame()
        autoFit = false
        onUserView()
        onView()
      },
      startsOffPage: (p) => {
        const attrs = scene.value?.page.attrs
        if (!attrs || !INK_TOOLS.has(store.tool) || (p.x >= 0 && p.y >= 0 && p.x <= attrs.w && p.y <= attrs.h)) return false
        store.noteOffPage()
        return true
      },
      pointerAt: (p) => session.presence.set({ cursor: p && store.pageId ? { page: store.pageId, x: Math.round(p.x), y: Math.round(p.y) } : null }),
      penModeChanged: (on) => (store.penMode = on),
    })
    resize = new ResizeObserver(() => sizeCanvas())
    resize.observe(el)
    sizeCanvas()
    showPage(true)
    session.events.on('peers', onPeers)
    session.events.on('redraw', onRedraw)
  })
  const onPeers = () => renderer?.requestFrame()
  const onRedraw = () => renderer?.requestFrame()

  watch(() => [store.pageId, store.docVersion], () => showPage(true))
  watch(() => store.pages, () => {
    // A page's attributes can arrive after its id (first sync); refresh if they differ.
    const attrs = store.pages.find((p) => p.id === store.pageId)?.attrs
    if (attrs && scene.value && JSON.stringify(attrs) !== JSON.stringify(scene.value.page.attrs)) showPage(false)
  })
  watch(() => store.tool, () => {
    input?.interrupt()
    renderer?.requestFrame()
  })
  watch(() => store.penMode, (on) => {
    if (input) input.penMode = on
  })

  onBeforeUnmount(() => {
    session.events.off('peers', onPeers)
    session.events.off('redraw', onRedraw)
    resize?.disconnect()
    input?.destroy()
    renderer?.destroy()
    scene.value?.destroy()
    session.presence.set({ cursor: null, laser: null })
  })

  return {
    viewport,
    textEdit,
    scene,
    tools,
    requestFrame: () => renderer?.requestFrame(),
    /** Fits the page on screen again (toolbar button). */
    fit: () => {
      const attrs = scene.value?.page.attrs
      if (attrs) fitPage(attrs.w, attrs.h)
      autoFit = true
      renderer?.requestFrame()
    },
    setSpace: (held: boolean) => {
      if (input) input.spaceHeld = held
    },
  }
}
