import type { IncomingMessage } from 'node:http'
import { normalizeStudentCode } from '../../shared/students/link'
import { nextPlannedStart } from '../../shared/students/schedule'
import type { MyRecord, StudentRecord } from '../../shared/students/record'
import {
  ArchiveStudentRequestSchema,
  AttachLessonRequestSchema,
  CreateStudentRequestSchema,
  UpdateStudentRequestSchema,
  type RosterResponse,
  type Student,
} from '../../shared/students/roster'
import type { Db } from '../db/schema'
import { readJson } from '../http/body'
import { HttpError } from '../http/respond'
import type { RateLimiter } from '../http/rateLimit'
import type { Route } from '../http/routes'
import { admitStudent, NO_OWNERS, type ApiDeps, type LessonOwners } from '../lesson/api'
import type { LessonRegistry } from '../lesson/registry'
import type { TutorKeys } from '../lesson/tutorKeys'
import type { Logger } from '../logger'
import { RecordAccess } from './access'
import { lessonHistory } from './lessonHistory'
import { RosterTable, type Account, type StudentRow } from './rosterTable'
import { ScheduleTable } from './scheduleTable'

export interface StudentServiceOptions {
  db: Db
  registry: LessonRegistry
  tutorKeys: TutorKeys
  /** What a personal-link join needs to hand out a lesson token. */
  admit: Pick<ApiDeps, 'registry' | 'tokens' | 'now' | 'tokenTtlMs'>
  /** POSTs per client address (the lesson API's limiter). */
  limiter: RateLimiter
  logger: Logger
  now: () => number
  publicUrl: () => string
}

export interface StudentService {
  routes: Route[]
  owners: LessonOwners
}

const ID = '([0-9a-f-]{36})'

/**
 * Student records: each tutor's roster, every student's standing personal
 * link, the lessons attributed to them, and the student's own view of their
 * record. Every route asks RecordAccess who is calling.
 */
export function createStudentService(opts: StudentServiceOptions): StudentService {
  const { db, registry, now } = opts
  const roster = new RosterTable(db, now, opts.publicUrl)
  const schedule = new ScheduleTable(db, now)
  const access = new RecordAccess({ roster, tutorKeys: opts.tutorKeys, now })

  const post = (req: IncomingMessage): void => {
    const verdict = opts.limiter.take(req.socket.remoteAddress ?? 'unknown')
    if (!verdict.ok) throw new HttpError(429, 'rate_limited', 'Too many requests; slow down', { retryAfterSeconds: verdict.retryAfterSeconds })
  }

  async function tutorNameOf(row: StudentRow): Promise<string> {
    return (await roster.accountById(row.account_id))?.name ?? ''
  }

  async function record(row: StudentRow): Promise<StudentRecord> {
    const changes = await schedule.changes(row.id)
    return {
      student: roster.toStudent(row),
      tutorName: await tutorNameOf(row),
      lessons: (await lessonHistory(db, [row.id], 0, now())).map(({ studentId: _s, ...lesson }) => lesson),
      scheduleChanges: changes,
      nextLessonAt: nextPlannedStart(row.plan, changes, now()),
    }
  }

  async function myRecord(row: StudentRow): Promise<MyRecord> {
    const full = await record(row)
    const open = row.archived_at === null ? registry.openLessonFor(row.account_id, row.id) : undefined
    return {
      student: { id: row.id, name: row.name, subject: row.subject, goal: row.goal, plan: row.plan },
      tutorName: full.tutorName,
      openLesson: open ? { lessonId: open.id } : null,
      nextLessonAt: full.nextLessonAt,
      lessons: full.lessons,
    }
  }

  /** Sets the lesson's student in memory (live lessons) and in the database (any lesson). */
  async function attribute(lessonId: string, studentId: string | null): Promise<void> {
    const live = registry.get(lessonId)
    if (live) registry.attribute(live, studentId)
    await db.updateTable('lessons').set({ student_id: studentId }).where('id', '=', lessonId).execute()
  }

  const tutorRoute = (method: 'GET' | 'POST', pattern: RegExp, handle: (req: IncomingMessage, account: Account, params: string[]) => Promise<unknown>): Route => ({
    method,
    pattern,
    handle: async (req, _res, params) => {
      if (method === 'POST') post(req)
      return handle(req, await access.account(req), params)
    },
  })
  const studentRoute = (method: 'GET' | 'POST', pattern: RegExp, handle: (req: IncomingMessage, student: StudentRow, params: string[]) => Promise<unknown>): Route => ({
    method,
    pattern,
    handle: async (req, _res, params) => {
      if (method === 'POST') post(req)
      return handle(req, await access.student(req), params)
    },
  })

  const routes: Route[] = [
    tutorRoute('GET', /^\/api\/roster$/, async (req, account): Promise<RosterResponse> => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const rows = await roster.list(account, { archived: url.searchParams.get('archived') === '1', query: (url.searchParams.get('q') ?? '').slice(0, 100) })
      const last = await lastLessons(db, rows.map((r) => r.id))
      const changes = await schedule.changesOf(rows.map((r) => r.id))
      return {
        role: account.role,
        students: rows.map((row) => ({
          ...roster.toStudent(row),
          tutorName: row.tutor_name,
          lastLessonAt: last.get(row.id) ?? null,
          nextLessonAt: nextPlannedStart(row.plan, changes.get(row.id) ?? [], now()),
          openFlags: 0,
        })),
      }
    }),
    tutorRoute('POST', /^\/api\/roster$/, async (req, account): Promise<Student> => {
      const body = await readJson(req, CreateStudentRequestSchema)
      const row = await roster.create(account, body)
      opts.logger.info('Student added', { studentId: row.id, accountId: account.id })
      return roster.toStudent(row)
    }),
    tutorRoute('GET', new RegExp(`^/api/roster/${ID}$`), async (_req, account, [id = '']) => record(await access.studentFor(account, id))),
    tutorRoute('POST', new RegExp(`^/api/roster/${ID}$`), async (req, account, [id = '']) => {
      const row = await access.studentFor(account, id)
      await roster.update(row.id, await readJson(req, UpdateStudentRequestSchema))
      return record(await access.studentFor(account, id))
    }),
    tutorRoute('POST', new RegExp(`^/api/roster/${ID}/archive$`), async (req, account, [id = '']) => {
      const row = await access.studentFor(account, id)
      const { archived } = await readJson(req, ArchiveStudentRequestSchema)
      await roster.setArchived(row.id, archived)
      return record(await access.studentFor(account, id))
    }),
    tutorRoute('POST', new RegExp(`^/api/roster/${ID}/code$`), async (_req, account, [id = '']) => {
      const row = await access.studentFor(account, id)
      await roster.renewCode(row.id)
      return record(await access.studentFor(account, id))
    }),
    tutorRoute('POST', new RegExp(`^/api/roster/lessons/${ID}/student$`), async (req, account, [lessonId = '']) => {
      const { studentId } = await readJson(req, AttachLessonRequestSchema)
      const lesson = await db.selectFrom('lessons').select(['id', 'account_id']).where('id', '=', lessonId).executeTakeFirst()
      // Only the lesson's own tutor (or staff) may say whose it was.
      if (!lesson || (account.role !== 'staff' && lesson.account_id !== account.id)) throw new HttpError(404, 'not_found', 'No such lesson of yours')
      if (studentId !== null) {
        const row = await access.studentFor(account, studentId)
        if (lesson.account_id !== null && row.account_id !== lesson.account_id) throw new HttpError(404, 'student_not_found', 'That student is on another roster')
      }
      await attribute(lessonId, studentId)
      return { ok: true }
    }),

    studentRoute('GET', /^\/api\/me$/, async (_req, student) => myRecord(student)),
    studentRoute('POST', /^\/api\/me\/join$/, async (_req, student) => {
      const lesson = student.archived_at === null ? registry.openLessonFor(student.account_id, student.id) : undefined
      if (!lesson) throw new HttpError(409, 'no_lesson_open', 'Your tutor has no lesson open for you right now')
      const joined = await admitStudent(opts.admit, lesson, student.name)
      if (lesson.studentId !== student.id) await attribute(lesson.id, student.id)
      opts.logger.info('Student joined with their personal link', { lessonId: lesson.id, studentId: student.id })
      return joined
    }),
  ]

  const owners: LessonOwners = {
    async forNewLesson(req, tutorName, studentId) {
      const holder = opts.tutorKeys.identify(req)
      if (!holder) {
        if (studentId !== undefined) throw new HttpError(401, 'unauthorized', 'Starting a lesson for a student on your roster needs your tutor key')
        return { accountId: null, studentId: null }
      }
      const account = await roster.account(holder, tutorName)
      if (studentId === undefined) return { accountId: account.id, studentId: null }
      const row = await access.studentFor(account, studentId)
      return { accountId: row.account_id, studentId: row.id }
    },
    async inviteJoined(lesson, studentCode) {
      const row = await roster.byCode(normalizeStudentCode(studentCode))
      if (!row || lesson.accountId === null || row.account_id !== lesson.accountId || lesson.studentId !== null) return
      await attribute(lesson.id, row.id)
    },
  }

  return { routes, owners }
}

/** The newest lesson each student attended. */
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

/** A server without a database: the records routes say so (503 records_unavailable); lessons belong to nobody. */
export function withoutRecords(): StudentService {
  const unavailable = async (): Promise<never> => {
    throw new HttpError(503, 'records_unavailable', 'This server has no database, so it keeps no student records')
  }
  return {
    routes: [/^\/api\/roster(\/.*)?$/, /^\/api\/me(\/.*)?$/].flatMap((pattern) => (['GET', 'POST'] as const).map((method) => ({ method, pattern, handle: unavailable }))),
    owners: NO_OWNERS,
  }
}
