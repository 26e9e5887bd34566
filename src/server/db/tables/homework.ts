import type { Generated } from 'kysely'
import type { HomeworkStatus } from '../../../shared/students/homework'

export interface HomeworkTable {
  id: string
  student_id: string
  lesson_id: string | null
  title: string
  body: string
  assigned_at: number
  due_at: number
  status: HomeworkStatus
  handed_in_at: number | null
  submission_text: Generated<string>
  reviewed_at: number | null
  review_comment: Generated<string>
}

/** Files of a homework, kept in the database with it (at most MAX_HOMEWORK_FILE_BYTES each). */
export interface HomeworkFilesTable {
  id: string
  homework_id: string
  role: 'assignment' | 'submission'
  name: string
  content_type: string
  size: number
  data: Uint8Array
  created_at: number
}

/** A student's rating of one lesson (one per lesson; a new one replaces it). */
export interface RatingsTable {
  lesson_id: string
  student_id: string
  stars: number
  word: string
  at: number
}
