import type { Json } from '../json'

/** A lesson, live or long ended (the registry holds live ones in memory and writes every change here). */
export interface LessonsTable {
  id: string
  /** The tutor's participant id inside the lesson (the token subject). */
  tutor_id: string
  tutor_name: string
  invite_code: string
  /** Codes the tutor replaced with a new invite, oldest first (005; at most 8). */
  retired_codes: Json<string[]>
  created_at: number
  invite_expires_at: number
  tokens_valid_until: number
  started_at: number | null
  ended_at: number | null
  ended_by: 'tutor' | 'expired' | null
  seat: Json<{ participantId: string; connected: boolean; seenAt: number; left: boolean } | null>
  /** The tutor's account (their roster), when the lesson was started with a key (002). */
  account_id: string | null
  /** The student on that roster the lesson is theirs (002). */
  student_id: string | null
}

/** Who was in a lesson: first join and last leave per participant (at most 16 per lesson). */
export interface AttendanceTable {
  lesson_id: string
  participant_id: string
  name: string
  role: 'tutor' | 'student'
  joined_at: number
  left_at: number | null
  /** Order of arrival, so the summary lists people as they came. */
  position: number
}

/** One-off imports of an older data directory (JSON files), so each runs once. */
export interface DataImportsTable {
  name: string
  imported_at: number
  details: Json<Record<string, number>>
}
