import { normalizeStudentCode } from '../../shared/students/link'
import type { Db } from '../db/schema'
import { HttpError } from '../http/respond'
import type { Account } from './rosterTable'
import type { RateLimiter } from '../http/rateLimit'
import type { Route } from '../http/routes'
import { NO_OWNERS, type ApiDeps, type LessonOwners } from '../lesson/api'
import type { LessonRegistry } from '../lesson/registry'
import type { TutorKeys } from '../lesson/tutorKeys'
import type { Logger } from '../logger'
import type { PracticeRecords } from '../ai/service'
import { RecordAccess } from './access'
import { ActivityTable, PRACTICE_MINUTES_PER_QUESTION } from './activityTable'
import type { StudentsContext } from './context'
import { HomeworkTable } from './homeworkTable'
import { homeworkRoutes } from './homeworkRoutes'
import { meRoutes } from './meRoutes'
import { StudentRecords } from './records'
import { threadDirectory } from './threadDirectory'
import type { ThreadDirectory } from '../chat/threadAccess'
import { RosterTable } from './rosterTable'
import { rosterRoutes } from './rosterRoutes'
import { ScheduleTable } from './scheduleTable'
import { warningRoutes } from './warningRoutes'
import { EarlyWarning } from './warnings/earlyWarning'
import { Thresholds } from './warnings/thresholds'

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
  /** Weeks of students without a plan are counted in this zone (default: the server's). */
  timeZone?: string
}

/** Stores and delivers a tutor's message in a student's thread (the chat's threads). */
export type ThreadPost = (account: Account, studentId: string, text: string) => Promise<void>

export interface StudentService {
  routes: Route[]
  owners: LessonOwners
  /** Practice with Ask AI counted in students' records. */
  practice: PracticeRecords | undefined
  /** A student watched a recording of one of their lessons again (the web library). */
  watched(lessonId: string, role: 'tutor' | 'student', seconds: number): void
  /** Who a code or key opens and whose student is whose, for the threads between lessons (null: no records). */
  threadDirectory: ThreadDirectory | null
  /** The early-warning flags (null: no records on this server). */
  warnings: EarlyWarning | null
  /** Where a tutor's messages written outside a thread go (the chat's threads, made after this service). */
  postToThreadsWith(post: ThreadPost): void
  close(): Promise<void>
}

/**
 * Student records: each tutor's roster, every student's standing personal
 * link, the lessons attributed to them, homework, ratings and what they do
 * between lessons, and the student's own view of it all. Every route asks
 * RecordAccess who is calling.
 */
export function createStudentService(opts: StudentServiceOptions): StudentService {
  const { db, registry, now } = opts
  const roster = new RosterTable(db, now, opts.publicUrl)
  const schedule = new ScheduleTable(db, now)
  const homework = new HomeworkTable(db, now)
  const activity = new ActivityTable(db, now, opts.logger)
  const timeZone = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  const records = new StudentRecords({ db, registry, roster, schedule, homework, activity, now, timeZone })
  const thresholds = new Thresholds(db, now)
  const warnings = new EarlyWarning({ db, thresholds, now, timeZone, logger: opts.logger, persisted: () => registry.persisted() })
  warnings.start()
  const access = new RecordAccess({ roster, tutorKeys: opts.tutorKeys, now })
  let threadPost: ThreadPost | null = null
  const ctx: StudentsContext = {
    db,
    registry,
    roster,
    schedule,
    homework,
    activity,
    records,
    access,
    limiter: opts.limiter,
    admit: opts.admit,
    logger: opts.logger,
    now,
    changed: (studentId) => void warnings.students([studentId]),
    // Unset only on a server without threads, where the record keeps the message alone.
    toThread: async (account, studentId, text) => threadPost?.(account, studentId, text),
  }
  registry.onEnded((lesson) => {
    const studentId = lesson.studentId
    // The lesson's last attendance is still on its way to the database.
    if (studentId !== null) void registry.persisted().then(() => ctx.changed(studentId))
  })

  const owners: LessonOwners = {
    async forNewLesson(req, tutorName, studentId) {
      const holder = opts.tutorKeys.identify(req)
      if (!holder) {
        if (studentId !== undefined) throw new HttpError(401, 'unauthorized', 'Starting a lesson for a student on your roster needs your tutor key')
        return { accountId: null, studentId: null }
      }
      const account = await roster.account(holder, tutorName)
      if (studentId === undefined) return { accountId: account.id, studentId: null }
      const row = await ctx.access.studentFor(account, studentId)
      return { accountId: row.account_id, studentId: row.id }
    },
    async inviteJoined(lesson, studentCode) {
      const row = await roster.byCode(normalizeStudentCode(studentCode))
      if (!row || lesson.accountId === null || row.account_id !== lesson.accountId || lesson.studentId !== null) return
      await records.attribute(lesson.id, row.id)
    },
  }

  return {
    routes: [...rosterRoutes(ctx), ...homeworkRoutes(ctx), ...meRoutes(ctx), ...warningRoutes({ ...ctx, warnings, thresholds })],
    owners,
    practice: {
      studentOf: async (code) => (await roster.byCode(normalizeStudentCode(code)))?.id ?? null,
      practiced: (studentId) => activity.record(studentId, 'practice_question', PRACTICE_MINUTES_PER_QUESTION),
    },
    watched(lessonId, role, seconds) {
      if (role !== 'student' || seconds < 1) return
      void db
        .selectFrom('lessons')
        .select('student_id')
        .where('id', '=', lessonId)
        .executeTakeFirst()
        .then((lesson) => {
          if (lesson?.student_id) activity.record(lesson.student_id, 'recording_view', seconds / 60, lessonId)
        })
        .catch((error: unknown) => opts.logger.error('Could not count a recording watched', { lessonId, error: String(error) }))
    },
    threadDirectory: threadDirectory({ roster, access, tutorKeys: opts.tutorKeys }),
    warnings,
    postToThreadsWith: (post) => {
      threadPost = post
    },
    async close() {
      await activity.flush()
      await warnings.close()
    },
  }
}

/** A server without a database: the records routes say so (503 records_unavailable); lessons belong to nobody. */
export function withoutRecords(): StudentService {
  const unavailable = async (): Promise<never> => {
    throw new HttpError(503, 'records_unavailable', 'This server has no database, so it keeps no student records')
  }
  return {
    routes: [/^\/api\/roster(\/.*)?$/, /^\/api\/me(\/.*)?$/, /^\/api\/homework(\/.*)?$/, /^\/api\/threads(\/.*)?$/].flatMap((pattern) =>
      (['GET', 'POST'] as const).map((method) => ({ method, pattern, handle: unavailable })),
    ),
    owners: NO_OWNERS,
    practice: undefined,
    watched: () => {},
    threadDirectory: null,
    warnings: null,
    postToThreadsWith: () => {},
    close: async () => {},
  }
}
