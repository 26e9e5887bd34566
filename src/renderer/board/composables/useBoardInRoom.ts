import { onBeforeUnmount, watch } from 'vue'
import type { LessonPass } from '../../lesson/LessonPass'
import { useBoardPdfInRecord } from '../recordingSource'
import { useBoardStore } from '../stores/boardStore'

/**
 * The lesson room's hook into the whiteboard: the board connects as soon as
 * the room opens (so strokes, follow mode and the lock are live even while
 * it is hidden) and disconnects when the room closes. The student is brought
 * to the board when the tutor opens it.
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

  // The tutor opening the board brings the student to it, as a classroom's board is in everyone's
  // sight: once each time the tutor opens it, so a student who hides it again is left alone until
  // the tutor next opens it. A following student who has not looked away (follow mode: the
  // tutor's page and zoom, the tutor's separate choice) is kept on it.
  watch(
    () => [board.tutorOnBoard, board.follow, board.followPaused] as const,
    ([on, follow, paused], [wasOn]) => {
      if (on && !board.isTutor && (!wasOn || (follow && !paused))) board.shown = true
    },
  )

  onBeforeUnmount(() => board.close())
  return board
}
