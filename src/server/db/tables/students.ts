import type { AccountRole } from '../../../shared/students/roster'
import type { WeeklyPlan } from '../../../shared/students/plan'
import type { Json } from '../json'

/**
 * Who keeps a roster: a tutor or a school's staff member, named by the key
 * they present (a school's configured key, the desktop app's own, or a key
 * a tutor's device made for itself on an open server).
 */
export interface AccountsTable {
  id: string
  name: string
  role: AccountRole
  created_at: number
  last_seen_at: number
  /** When the tutor last read the digest of new flags (004). */
  digest_seen_at: number | null
}

/** A student on a tutor's roster, with their standing personal code. */
export interface StudentsTable {
  id: string
  account_id: string
  name: string
  notes: string
  subject: string
  goal: string
  plan: Json<WeeklyPlan | null>
  code: string
  archived_at: number | null
  created_at: number
  updated_at: number
}

/** A planned lesson moved by hand (reschedule): `from_at` is the planned start it replaces, if any. */
export interface ScheduleChangesTable {
  id: string
  student_id: string
  from_at: number | null
  to_at: number
  note: string
  created_at: number
}

/**
 * What a student does between lessons, for progress and early warning:
 * a practice question to Ask AI, a recording watched again, homework handed in.
 */
export interface ActivityTable {
  id: string
  student_id: string
  kind: 'practice_question' | 'recording_view' | 'homework_submitted'
  at: number
  /** Study minutes it counts for (a question counts a fixed estimate; a recording what was watched). */
  minutes: number
  lesson_id: string | null
}
