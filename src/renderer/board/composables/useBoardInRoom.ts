import { onBeforeUnmount, watch } from 'vue'
import type { LessonPass } from '../../lesson/LessonPass'
import { useBoardPdfInRecord } from '../recordingSource'
import { useBoardStore } from '../stores/boardStore'

/**
 * The lesson room's hook into the whiteboard: the board connects as soon as
 * the room opens (so strokes, follow mode and the lock are live even while
 * it is hidden) and disconnects when the room closes. A following student is
 * brought to the board when the tutor is on it.
 */
export function useBoardInRoom(pass: () => LessonPass | null) {
  const board = useBoardStore()
  useBoardPdfInRecord()
  watch(
    pass,
    (p) => {
      if (p) board.open(p)
    },
    { immediate: true },
  )

  watch(
    () => [board.peersVersion, board.follow, board.followPaused] as const,
    () => {
      const s = board.session
      if (!s || s.isTutor || board.shown || !board.follow || board.followPaused) return
      if (s.presence.peers().some((p) => p.user.role === 'tutor' && p.view)) board.shown = true
    },
  )

  onBeforeUnmount(() => board.close())
  return board
}
