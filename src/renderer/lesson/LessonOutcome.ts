import type { LessonSummary, Participant } from '../../shared/lesson/lesson'

/** How the lesson ended for this window, for the summary screen. */
export type LessonOutcome =
  | { kind: 'ended'; summary: LessonSummary }
  | {
      kind: 'left'
      tutorName: string
      startedAt: number | null
      leftAt: number
      self: Participant
      peer: Participant | null
    }
