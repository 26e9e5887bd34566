import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue'
import * as Y from 'yjs'
import { pageIds } from '../../shared/board/layout'
import { boardWorthKeeping } from '../../shared/recording/boardRecord'
import type { LessonFileSource } from '../recording/lessonFiles'
import { useRecordingStore } from '../recording/stores/recordingStore'
import type { MainAreaSource } from '../recording/scene'
import { BackgroundCache } from './io/backgrounds'
import { useBoardStore } from './stores/boardStore'

/**
 * The board stage's part in the recording, for as long as the board is on
 * screen: the recording's main area shows the board canvas exactly as this
 * person sees it (their page, zoom, the other person's cursor), and every
 * page that comes on screen is a marker on the timeline. When the board
 * closes the main area goes back to the shared screen or the camera.
 */
export function useBoardInRecording(canvas: Ref<HTMLCanvasElement | null>): void {
  const recording = useRecordingStore()
  const board = useBoardStore()
  const source: MainAreaSource = {
    mainArea: () => {
      const el = canvas.value
      // A canvas not laid out yet (0x0) would record an empty frame: leave the area to the screen or camera until it is.
      return el && el.isConnected && el.width > 0 && el.height > 0 ? el : null
    },
  }
  const markPage = () => {
    if (board.pageIndex >= 0) recording.addMarker('page', String(board.pageIndex + 1))
  }
  onMounted(() => {
    recording.provideMainArea(source)
    markPage()
  })
  watch(
    () => board.pageId,
    (id, before) => {
      if (id && before) markPage()
    },
  )
  onBeforeUnmount(() => recording.provideMainArea(null))
}

/**
 * board.pdf for the lesson record: every page, background and ink, made by
 * the board's own PDF export. The document is copied when asked (the room
 * may be closing), and rendered from the copy; an untouched board gives none.
 */
export function boardPdfSource(): LessonFileSource {
  const board = useBoardStore()
  return () => {
    const session = board.session
    if (!session || !boardWorthKeeping(session.doc)) return null
    const update = Y.encodeStateAsUpdate(session.doc)
    const assets = session.assets
    return {
      version: fingerprint(update),
      make: async () => {
        const copy = new Y.Doc()
        Y.applyUpdate(copy, update)
        const backgrounds = new BackgroundCache(assets, () => {})
        try {
          // jsPDF and the export code load only when a PDF is made.
          const { exportBoardPdf } = await import('./io/exportBoard')
          const blob = await exportBoardPdf(copy, pageIds(copy), backgrounds, () => {})
          return { data: new Uint8Array(await blob.arrayBuffer()) }
        } finally {
          backgrounds.destroy()
          copy.destroy()
        }
      },
    }
  }
}

/**
 * Yjs state vectors do not change when something is erased, so the version
 * is a hash of the whole document (FNV-1a: crypto.subtle is missing on
 * plain-http LAN pages, and this only tells "changed" from "same").
 */
function fingerprint(bytes: Uint8Array): string {
  let hash = 0x811c9dc5
  for (const b of bytes) hash = Math.imul(hash ^ b, 0x01000193)
  return `${bytes.length}:${(hash >>> 0).toString(16)}`
}

/** The lesson room's board offers its PDF to the lesson record while the room is open. */
export function useBoardPdfInRecord(): void {
  const recording = useRecordingStore()
  recording.provideLessonFile('board.pdf', boardPdfSource())
  onBeforeUnmount(() => recording.provideLessonFile('board.pdf', null))
}
