import type { IncomingMessage } from 'node:http'
import type { Db } from '../db/schema'
import { HttpError, clientIp } from '../http/respond'
import type { RateLimiter } from '../http/rateLimit'
import type { Route } from '../http/routes'
import type { ApiDeps } from '../lesson/api'
import type { LessonRegistry } from '../lesson/registry'
import type { Logger } from '../logger'
import type { RecordAccess } from './access'
import type { ActivityTable } from './activityTable'
import type { HomeworkTable } from './homeworkTable'
import type { StudentRecords } from './records'
import type { Account, RosterTable, StudentRow } from './rosterTable'
import type { ScheduleTable } from './scheduleTable'

/** What the records routes share: the tables, who is asking, and the lesson core they attach to. */
export interface StudentsContext {
  db: Db
  registry: LessonRegistry
  roster: RosterTable
  schedule: ScheduleTable
  homework: HomeworkTable
  activity: ActivityTable
  records: StudentRecords
  access: RecordAccess
  /** POSTs per client address (the lesson API's limiter). */
  limiter: RateLimiter
  /** What a personal-link join needs to hand out a lesson token. */
  admit: Pick<ApiDeps, 'registry' | 'tokens' | 'now' | 'tokenTtlMs'>
  logger: Logger
  now: () => number
  /** Something of this student's changed: their flags are worked out again (in the background). */
  changed(studentId: string): void
  /**
   * A tutor's message to a student written outside their thread (a check-in
   * from the at-risk dashboard) goes into the thread, so the student gets it
   * there, live, with an unread count. Throws as a message typed there would.
   */
  toThread(account: Account, studentId: string, text: string): Promise<void>
}

type Method = Route['method']

function limitPosts(ctx: StudentsContext, req: IncomingMessage): void {
  if (req.method !== 'POST') return
  const verdict = ctx.limiter.take(clientIp(req))
  if (!verdict.ok) throw new HttpError(429, 'rate_limited', 'Too many requests; slow down', { retryAfterSeconds: verdict.retryAfterSeconds })
}

type Handler<Who> = (req: IncomingMessage, who: Who, params: string[]) => Promise<unknown>

/** A route whose handler gets who is asking, as `identify` finds them (POSTs rate-limited first). */
function routeFor<Who>(ctx: StudentsContext, method: Method, pattern: RegExp, identify: (req: IncomingMessage) => Promise<Who>, handle: Handler<Who>): Route {
  return {
    method,
    pattern,
    handle: async (req, _res, params) => {
      limitPosts(ctx, req)
      return handle(req, await identify(req), params)
    },
  }
}

/** A route for a tutor or staff member (their key): the handler gets their account. */
export function tutorRoute(ctx: StudentsContext, method: Method, pattern: RegExp, handle: Handler<Account>): Route {
  return routeFor(ctx, method, pattern, (req) => ctx.access.account(req), handle)
}

/** A route for a student (their personal code): the handler gets their own row, never another's. */
export function studentRoute(ctx: StudentsContext, method: Method, pattern: RegExp, handle: Handler<StudentRow>): Route {
  return routeFor(ctx, method, pattern, (req) => ctx.access.student(req), handle)
}

/** A UUID in a route pattern. */
export const ID = '([0-9a-f-]{36})'
