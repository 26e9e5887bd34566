import { randomUUID } from 'node:crypto'
import type { Db } from '../../src/server/db/schema'
import { toJson } from '../../src/server/db/json'
import { INVITE_ALPHABET } from '../../src/shared/lesson/invite'

const DAY = 86_400_000
const WEEK = 7 * DAY
const ZONE = 'Asia/Shanghai'

export interface School {
  students: number
  rows: number
  /** The staff key (sees every student) and one tutor's key (their 50). */
  staffKey: string
  tutorKey: string
}

/** A distinct 12-character personal code per student (the invite alphabet, as the roster makes them). */
function codeOf(n: number): string {
  let code = ''
  for (let i = 0, rest = n; i < 12; i++, rest = Math.floor(rest / INVITE_ALPHABET.length)) code = (INVITE_ALPHABET[rest % INVITE_ALPHABET.length] as string) + code
  return code
}

/** Deterministic numbers, so every run generates the same school. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/**
 * A school of `tutors` x `perTutor` students with `weeks` of history up to
 * `now`, written straight into the database: each student has a Tue/Thu or
 * Mon/Wed plan and lessons by it (most attend, some fade away, some stopped
 * ten days ago, a few rate lessons low), weekly homework (on time, late or
 * missing), and Ask AI practice between lessons.
 */
export async function generateSchool(db: Db, now: number, opts = { tutors: 40, perTutor: 50, weeks: 12 }): Promise<School> {
  const rnd = random(17)
  const accounts: { id: string; name: string; role: 'tutor' | 'staff'; created_at: number; last_seen_at: number; digest_seen_at: null }[] = [{ id: 'staff', name: 'Office', role: 'staff', created_at: now - 100 * DAY, last_seen_at: now, digest_seen_at: null }]
  const students: Record<string, unknown>[] = []
  const lessons: Record<string, unknown>[] = []
  const attendance: Record<string, unknown>[] = []
  const homework: Record<string, unknown>[] = []
  const activity: Record<string, unknown>[] = []
  const ratings: Record<string, unknown>[] = []
  const start = now - opts.weeks * WEEK
  for (let t = 0; t < opts.tutors; t++) {
    const accountId = `tutor-${t}`
    accounts.push({ id: accountId, name: `Tutor ${t}`, role: 'tutor', created_at: start, last_seen_at: now, digest_seen_at: null })
    for (let s = 0; s < opts.perTutor; s++) {
      const id = randomUUID()
      const kind = rnd()
      // 70 % steady, 12 % fading (fewer lessons and less practice each week), 10 % gone for ten days, 8 % unhappy.
      const persona = kind < 0.7 ? 'steady' : kind < 0.82 ? 'fading' : kind < 0.92 ? 'gone' : 'unhappy'
      const days = rnd() < 0.5 ? [2, 4] : [1, 3]
      students.push({
        id,
        account_id: accountId,
        name: `Student ${t}-${s}`,
        notes: '',
        subject: 'Maths',
        goal: '',
        plan: toJson({ days, time: '17:00', minutes: 60, timeZone: ZONE }),
        code: codeOf(t * opts.perTutor + s),
        archived_at: null,
        created_at: start - DAY,
        updated_at: start,
      })
      for (let w = 0; w < opts.weeks; w++) {
        const weekAt = start + w * WEEK
        const left = now - weekAt
        const attendP = persona === 'steady' ? 0.92 : persona === 'fading' ? 0.9 - w * 0.08 : persona === 'gone' ? (left > 11 * DAY ? 0.85 : 0) : 0.8
        for (const day of days) {
          const at = weekAt + day * DAY + 9 * 3_600_000
          if (at >= now) continue
          const lessonId = randomUUID()
          const attended = rnd() < attendP
          lessons.push({
            id: lessonId,
            tutor_id: `p-${accountId}`,
            tutor_name: `Tutor ${t}`,
            invite_code: 'ABCD2345',
            created_at: at - 60_000,
            invite_expires_at: at + DAY,
            tokens_valid_until: at + DAY,
            started_at: attended ? at : null,
            ended_at: at + 60 * 60_000,
            ended_by: 'tutor',
            seat: null,
            account_id: accountId,
            student_id: id,
          })
          attendance.push({ lesson_id: lessonId, participant_id: `p-${accountId}`, name: `Tutor ${t}`, role: 'tutor', joined_at: at - 60_000, left_at: at + 60 * 60_000, position: 0 })
          if (attended) {
            attendance.push({ lesson_id: lessonId, participant_id: `s-${id}`, name: 'Student', role: 'student', joined_at: at, left_at: at + 60 * 60_000, position: 1 })
            if (rnd() < 0.3) ratings.push({ lesson_id: lessonId, student_id: id, stars: persona === 'unhappy' ? 1 + Math.floor(rnd() * 2) : 4 + Math.floor(rnd() * 2), word: '', at: at + 61 * 60_000 })
          }
        }
        const practice = persona === 'fading' ? Math.max(0, 6 - w) : persona === 'gone' && left <= 11 * DAY ? 0 : 2 + Math.floor(rnd() * 3)
        for (let p = 0; p < practice; p++) {
          const at = weekAt + Math.floor(rnd() * 7 * DAY)
          if (at < now) activity.push({ id: randomUUID(), student_id: id, kind: 'practice_question', at, minutes: 3, lesson_id: null })
        }
        const due = weekAt + 6 * DAY
        const late = rnd()
        const handedIn = persona === 'gone' && left <= 11 * DAY ? null : late < 0.75 ? due - DAY : late < 0.9 ? due + 4 * DAY : null
        homework.push({
          id: randomUUID(),
          student_id: id,
          lesson_id: null,
          title: `Week ${w + 1}`,
          body: '',
          assigned_at: weekAt,
          due_at: due,
          status: handedIn === null ? 'assigned' : 'submitted',
          handed_in_at: handedIn !== null && handedIn < now ? handedIn : null,
          reviewed_at: null,
        })
      }
    }
  }
  const insert = async (table: 'accounts' | 'students' | 'lessons' | 'attendance' | 'homework' | 'activity' | 'ratings', rows: Record<string, unknown>[]) => {
    // Rows per statement: well below PostgreSQL's 65,535 parameters.
    for (let i = 0; i < rows.length; i += 1000) await db.insertInto(table).values(rows.slice(i, i + 1000) as never).execute()
  }
  await insert('accounts', accounts)
  await insert('students', students)
  await insert('lessons', lessons)
  await insert('attendance', attendance)
  await insert('homework', homework)
  await insert('activity', activity)
  await insert('ratings', ratings)
  const rows = accounts.length + students.length + lessons.length + attendance.length + homework.length + activity.length + ratings.length
  return { students: students.length, rows, staffKey: 'bench-staff-key-0123456789abcdef', tutorKey: 'bench-tutor-key-0123456789abcdef' }
}
