import type { Evidence, FlagState, WarningRule, WarningThresholds } from '../../../shared/students/warnings'
import type { Json } from '../json'

/** One early-warning flag: raised when its rule fires, resolved when it stops (at most one unresolved per student and rule). */
export interface FlagsTable {
  id: string
  student_id: string
  rule: WarningRule
  state: FlagState
  evidence: Json<Evidence>
  raised_at: number
  updated_at: number
  snoozed_until: number | null
  resolved_at: number | null
}

/** What a tutor did about a student (a message, a rescheduled lesson, a snooze, a dismissal): kept in the record. */
export interface RecordActionsTable {
  id: string
  student_id: string
  flag_id: string | null
  kind: 'message' | 'reschedule' | 'snooze' | 'dismiss'
  text: string
  at: number
  by_account: string
  by_name: string
  until: number | null
}

/** Thresholds a school (scope 'school') or a tutor (their account id) changed; the rest stay at their defaults. */
export interface WarningSettingsTable {
  scope_id: string
  thresholds: Json<Partial<WarningThresholds>>
  updated_at: number
}

/** When the flags of every student were last worked out (scope 'all'; 008). */
export interface FlagRecomputesTable {
  scope: 'all'
  computed_at: number
}
