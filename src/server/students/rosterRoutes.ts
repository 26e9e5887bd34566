import { nextPlannedStart } from '../../shared/students/schedule'
import {
  ArchiveStudentRequestSchema,
  AttachLessonRequestSchema,
  CreateStudentRequestSchema,
  UpdateStudentRequestSchema,
  type InviteLessonsResponse,
  type LessonOwner,
  type RosterResponse,
  type Student,
} from '../../shared/students/roster'
import type { Db } from '../db/schema'
import { readJson } from '../http/body'
import { HttpError } from '../http/respond'
import type { Route } from '../http/routes'
import { ID, tutorRoute, type StudentsContext } from './context'
import type { Account } from './rosterTable'
import { lessonMinutes } from './lessonHistory'
import { openFlagCounts } from './warnings/reads'

/** The tutor's roster: list and search, add, edit, archive, a new personal link, whose a lesson was. */
export function rosterRoutes(ctx: StudentsContext): Route[] {
  const { roster, access, records, schedule, now } = ctx
  /** A lesson of the account's (staff: anyone's), as the database has it now. Only the lesson's own tutor may say whose it was. */
  async function lessonOf(account: Account, lessonId: string) {
    await ctx.registry.persisted()
    const lesson = await ctx.db.selectFrom('lessons').select(['id', 'account_id', 'student_id']).where('id', '=', lessonId).executeTakeFirst()
    if (!lesson || (account.role !== 'staff' && lesson.account_id !== account.id)) throw new HttpError(404, 'not_found', 'No such lesson of yours')
    return lesson
  }
  const fresh = async (account: Parameters<typeof access.studentFor>[0], id: string) => records.record(await access.studentFor(account, id))
  return [
    tutorRoute(ctx, 'GET', /^\/api\/roster$/, async (req, account): Promise<RosterResponse> => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const rows = await roster.list(account, { archived: url.searchParams.get('archived') === '1', query: (url.searchParams.get('q') ?? '').slice(0, 100) })
      const ids = rows.map((r) => r.id)
      await ctx.registry.persisted()
      const [last, changes, flags] = await Promise.all([lastLessons(ctx.db, ids), schedule.changesOf(ids), openFlagCounts(ctx.db, ids)])
      return {
        role: account.role,
        students: rows.map((row) => ({
          ...roster.toStudent(row),
          tutorName: row.tutor_name,
          lastLessonAt: last.get(row.id) ?? null,
          nextLessonAt: nextPlannedStart(row.plan, changes.get(row.id) ?? [], now()),
          openFlags: flags.get(row.id) ?? 0,
        })),
      }
    }),
    tutorRoute(ctx, 'POST', /^\/api\/roster$/, async (req, account): Promise<Student> => {
      const row = await roster.create(account, await readJson(req, CreateStudentRequestSchema))
      ctx.logger.info('Student added', { studentId: row.id, accountId: account.id })
      return roster.toStudent(row)
    }),
    tutorRoute(ctx, 'GET', new RegExp(`^/api/roster/${ID}$`), async (_req, account, [id = '']) => fresh(account, id)),
    tutorRoute(ctx, 'POST', new RegExp(`^/api/roster/${ID}$`), async (req, account, [id = '']) => {
      const row = await access.studentFor(account, id)
      await roster.update(row.id, await readJson(req, UpdateStudentRequestSchema))
      return fresh(account, id)
    }),
    tutorRoute(ctx, 'POST', new RegExp(`^/api/roster/${ID}/archive$`), async (req, account, [id = '']) => {
      const row = await access.studentFor(account, id)
      const { archived } = await readJson(req, ArchiveStudentRequestSchema)
      await roster.setArchived(row.id, archived)
      return fresh(account, id)
    }),
    tutorRoute(ctx, 'POST', new RegExp(`^/api/roster/${ID}/code$`), async (_req, account, [id = '']) => {
      await roster.renewCode((await access.studentFor(account, id)).id)
      return fresh(account, id)
    }),
    tutorRoute(ctx, 'GET', new RegExp(`^/api/roster/${ID}/invite-lessons$`), async (_req, account, [id = '']): Promise<InviteLessonsResponse> => {
      const row = await access.studentFor(account, id)
      await ctx.registry.persisted()
      return { lessons: await inviteLessons(ctx.db, row.account_id, now()) }
    }),
    tutorRoute(ctx, 'GET', new RegExp(`^/api/roster/lessons/${ID}/student$`), async (_req, account, [lessonId = '']): Promise<LessonOwner> => {
      const lesson = await lessonOf(account, lessonId)
      const row = lesson.student_id === null ? undefined : await roster.get(lesson.student_id)
      return { studentId: row?.id ?? null, studentName: row?.name ?? null }
    }),
    tutorRoute(ctx, 'POST', new RegExp(`^/api/roster/lessons/${ID}/student$`), async (req, account, [lessonId = '']) => {
      const { studentId } = await readJson(req, AttachLessonRequestSchema)
      const lesson = await lessonOf(account, lessonId)
      if (studentId !== null) {
        const row = await access.studentFor(account, studentId)
        if (lesson.account_id !== null && row.account_id !== lesson.account_id) throw new HttpError(404, 'student_not_found', 'That student is on another roster')
      }
      await records.attribute(lessonId, studentId)
      // The lesson now counts for the student (an inactivity flag may resolve).
      if (studentId !== null) ctx.changed(studentId)
      return { ok: true }
    }),
  ]
}

/** How far back a lesson held through an invite is still offered for attaching to a student. */
export const INVITE_LESSON_DAYS = 30
const INVITE_LESSONS_SHOWN = 20

/**
 * A tutor's recent lessons that a student joined through a one-off invite
 * and that belong to no student yet: what the tutor may attach to one.
 */
async function inviteLessons(db: Db, accountId: string, now: number): Promise<InviteLessonsResponse['lessons']> {
  const rows = await db
    .selectFrom('lessons')
    .innerJoin('attendance', (join) => join.onRef('attendance.lesson_id', '=', 'lessons.id').on('attendance.role', '=', 'student'))
    .select([
      'lessons.id',
      'lessons.created_at',
      'lessons.started_at',
      'lessons.ended_at',
      (eb) => eb.fn.min('attendance.name').as('student_name'),
      (eb) => eb.fn.max('attendance.left_at').as('left_at'),
    ])
    .where('lessons.account_id', '=', accountId)
    .where('lessons.student_id', 'is', null)
    .where('lessons.created_at', '>=', now - INVITE_LESSON_DAYS * 86_400_000)
    .groupBy(['lessons.id', 'lessons.created_at', 'lessons.started_at', 'lessons.ended_at'])
    .orderBy('lessons.created_at', 'desc')
    .limit(INVITE_LESSONS_SHOWN)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    minutes: lessonMinutes(row, now),
    studentName: String(row.student_name ?? ''),
  }))
}

/** The newest lesson each student was in. */
async function lastLessons(db: Db, studentIds: string[]): Promise<Map<string, number>> {
  if (studentIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('lessons')
    .select(['student_id', (eb) => eb.fn.max('started_at').as('last')])
    .where('student_id', 'in', studentIds)
    .where('started_at', 'is not', null)
    .groupBy('student_id')
    .execute()
  return new Map(rows.map((r) => [r.student_id as string, Number(r.last)]))
}
