import { randomInt, randomUUID } from 'node:crypto'
import { INVITE_ALPHABET, INVITE_CODE_LENGTH } from '../../shared/lesson/invite'
import type { LessonInfo, LessonSummary, Participant } from '../../shared/lesson/lesson'
import type { LessonStore, StoredLesson } from './store'
import type { Logger } from '../logger'

/** Ended lessons stay in memory this long (invites answer "ended", not "unknown"), then only the store keeps them. */
export const ENDED_RETENTION_MS = 6 * 3_600_000
/** Replaced invite codes a lesson remembers (to answer "expired" for them). */
export const MAX_RETIRED_CODES = 8
/** Upper bound on lessons held in memory. */
export const MAX_LESSONS = 5000
const MAX_ATTENDANCE = 16
/**
 * A student who drops off (closed tab, lost network) keeps the seat this
 * long, so nobody else can take it with the invite while they come back.
 */
export const SEAT_GRACE_MS = 60_000

export type EndedListener = (lesson: StoredLesson, summary: LessonSummary) => void
/** The student seat went to someone else: whatever the previous holder still has open must close. */
export type SeatListener = (lesson: StoredLesson, previousHolder: string) => void

export interface RegistryOptions {
  store: LessonStore
  logger: Logger
  now: () => number
  inviteTtlMs: number
  tokenTtlMs: number
}

export function newInviteCode(): string {
  let code = ''
  // randomInt is unbiased, unlike randomBytes % alphabet length.
  for (let i = 0; i < INVITE_CODE_LENGTH; i++) code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]
  return code
}

/**
 * Lessons, their invites, attendance and end. Knows nothing about sockets:
 * the WebSocket layer reports presence here and listens for `onEnded`.
 */
export class LessonRegistry {
  private readonly lessons = new Map<string, StoredLesson>()
  private readonly byCode = new Map<string, string>()
  private readonly endedListeners: EndedListener[] = []
  private readonly seatListeners: SeatListener[] = []

  constructor(private readonly opts: RegistryOptions) {}

  /**
   * Takes back the lessons the store holds that are still running or ended
   * recently (once, at start). Nobody is connected right after a start, so
   * open attendance is closed, and a seated student gets the whole grace
   * period to come back.
   */
  async load(): Promise<void> {
    const now = this.opts.now()
    for (const lesson of await this.opts.store.loadLessons(now - ENDED_RETENTION_MS)) {
      let changed = false
      for (const a of lesson.attendance) {
        if (a.leftAt === null && lesson.endedAt === null) {
          a.leftAt = now
          changed = true
        }
      }
      if (lesson.seat?.connected) {
        lesson.seat = { ...lesson.seat, connected: false, seenAt: now }
        changed = true
      }
      this.lessons.set(lesson.id, lesson)
      for (const code of [...lesson.retiredCodes, lesson.inviteCode]) this.byCode.set(code, lesson.id)
      if (changed) this.opts.store.saveLesson(lesson)
    }
    if (this.lessons.size > 0) this.opts.logger.info('Lessons reloaded', { count: this.lessons.size })
  }

  /** Resolves once every change made so far is written to the store (readers of the database wait for it). */
  persisted(): Promise<void> {
    return this.opts.store.flush()
  }

  onEnded(listener: EndedListener): void {
    this.endedListeners.push(listener)
  }

  onSeatChanged(listener: SeatListener): void {
    this.seatListeners.push(listener)
  }

  /** Whether this student identity holds the lesson's seat (the only student any route accepts). */
  holdsSeat(lesson: StoredLesson, participantId: string): boolean {
    return lesson.seat?.participantId === participantId
  }

  /** Whether an invite may hand the seat to a new student now. */
  seatFree(lesson: StoredLesson): boolean {
    const seat = lesson.seat
    if (!seat) return true
    return !seat.connected && (seat.left || this.opts.now() - seat.seenAt >= SEAT_GRACE_MS)
  }

  /**
   * Gives the seat to a new student identity (an invite was used). False
   * while the current holder is here or within their grace period. The
   * previous holder's token opens nothing from now on.
   */
  takeSeat(lesson: StoredLesson, participantId: string): boolean {
    if (!this.seatFree(lesson)) return false
    const previous = lesson.seat?.participantId
    lesson.seat = { participantId, connected: false, seenAt: this.opts.now(), left: false }
    this.opts.store.saveLesson(lesson)
    if (previous !== undefined && previous !== participantId) {
      this.opts.logger.info('Student seat handed over', { lessonId: lesson.id })
      for (const listener of this.seatListeners) {
        try {
          listener(lesson, previous)
        } catch (err) {
          this.opts.logger.error('Seat listener failed', { lessonId: lesson.id, error: String(err) })
        }
      }
    }
    return true
  }

  get size(): number {
    return this.lessons.size
  }

  get(id: string): StoredLesson | undefined {
    return this.lessons.get(id)
  }

  getByCode(code: string): StoredLesson | undefined {
    const id = this.byCode.get(code)
    return id === undefined ? undefined : this.lessons.get(id)
  }

  /**
   * null when the server already holds MAX_LESSONS live lessons. `owner`:
   * the tutor's account and, when started from a student's record, the student.
   */
  create(tutorName: string, owner: { accountId: string | null; studentId: string | null } = { accountId: null, studentId: null }): StoredLesson | null {
    this.sweep()
    if (this.lessons.size >= MAX_LESSONS && !this.dropOldestEnded()) return null
    const code = this.unusedCode()
    const now = this.opts.now()
    const inviteExpiresAt = now + this.opts.inviteTtlMs
    const lesson: StoredLesson = {
      id: randomUUID(),
      tutorId: randomUUID(),
      tutorName,
      inviteCode: code,
      retiredCodes: [],
      createdAt: now,
      inviteExpiresAt,
      // The tutor's token outlives the invite so a lesson booked ahead can still be opened.
      tokensValidUntil: Math.max(now + this.opts.tokenTtlMs, inviteExpiresAt),
      startedAt: null,
      endedAt: null,
      endedBy: null,
      attendance: [],
      seat: null,
      accountId: owner.accountId,
      studentId: owner.studentId,
    }
    this.lessons.set(lesson.id, lesson)
    this.byCode.set(code, lesson.id)
    this.opts.store.saveLesson(lesson)
    return lesson
  }

  private unusedCode(): string {
    let code = newInviteCode()
    while (this.byCode.has(code)) code = newInviteCode()
    return code
  }

  /**
   * A fresh invite for a running lesson (the tutor's "New invite"): a new
   * code valid for the invite lifetime from now. The old code stops
   * admitting anyone and answers "expired" from then on.
   */
  newInvite(lesson: StoredLesson): StoredLesson {
    const now = this.opts.now()
    const retired = [...lesson.retiredCodes, lesson.inviteCode]
    while (retired.length > MAX_RETIRED_CODES) {
      const dropped = retired.shift()
      if (dropped !== undefined && this.byCode.get(dropped) === lesson.id) this.byCode.delete(dropped)
    }
    lesson.retiredCodes = retired
    lesson.inviteCode = this.unusedCode()
    lesson.inviteExpiresAt = now + this.opts.inviteTtlMs
    lesson.tokensValidUntil = Math.max(lesson.tokensValidUntil, lesson.inviteExpiresAt)
    this.byCode.set(lesson.inviteCode, lesson.id)
    this.opts.store.saveLesson(lesson)
    return lesson
  }

  /**
   * The lesson a student's personal link joins now: the newest running one
   * of their tutor's that is theirs, else the newest running one of their
   * tutor's with nobody attributed and the seat free (the tutor pressed
   * Start lesson; the student came with their link).
   */
  openLessonFor(accountId: string, studentId: string): StoredLesson | undefined {
    const now = this.opts.now()
    const open = [...this.lessons.values()]
      .filter((l) => l.accountId === accountId && l.endedAt === null && now < l.tokensValidUntil)
      .sort((a, b) => b.createdAt - a.createdAt)
    return open.find((l) => l.studentId === studentId) ?? open.find((l) => l.studentId === null && this.seatFree(l))
  }

  /** Attributes a lesson in memory to a student on its roster (or to nobody). */
  attribute(lesson: StoredLesson, studentId: string | null): void {
    if (lesson.studentId === studentId) return
    lesson.studentId = studentId
    this.opts.store.saveLesson(lesson)
  }

  /** Records that a token was issued, so the lesson is not expired before it runs out. */
  noteToken(lesson: StoredLesson, expiresAt: number): void {
    if (expiresAt <= lesson.tokensValidUntil) return
    lesson.tokensValidUntil = expiresAt
    this.opts.store.saveLesson(lesson)
  }

  isPresent(lesson: StoredLesson, role: Participant['role']): boolean {
    return lesson.attendance.some((a) => a.role === role && a.leftAt === null)
  }

  markPresent(lesson: StoredLesson, who: Participant): void {
    const now = this.opts.now()
    if (who.role === 'student' && this.holdsSeat(lesson, who.id)) lesson.seat = { participantId: who.id, connected: true, seenAt: now, left: false }
    const entry = lesson.attendance.find((a) => a.id === who.id)
    if (entry) {
      entry.leftAt = null
    } else {
      lesson.attendance.push({ ...who, joinedAt: now, leftAt: null })
      this.trimAttendance(lesson)
    }
    if (lesson.startedAt === null && this.isPresent(lesson, 'tutor') && this.isPresent(lesson, 'student')) {
      lesson.startedAt = now // the lesson clock starts when both are first together
    }
    this.opts.store.saveLesson(lesson)
  }

  /** `left`: they pressed Leave (their seat is free at once); otherwise they dropped off. */
  markLeft(lesson: StoredLesson, participantId: string, reason: 'left' | 'disconnected' = 'disconnected'): void {
    const entry = lesson.attendance.find((a) => a.id === participantId)
    if (!entry || lesson.endedAt !== null) return
    // Away already (a dropped socket, then Leave over HTTP): they left when they dropped off.
    entry.leftAt ??= this.opts.now()
    if (this.holdsSeat(lesson, participantId)) lesson.seat = { participantId, connected: false, seenAt: entry.leftAt, left: reason === 'left' }
    this.opts.store.saveLesson(lesson)
  }

  /** Keeps the tutor and the latest students within the summary's limit of 16. */
  private trimAttendance(lesson: StoredLesson): void {
    while (lesson.attendance.length > MAX_ATTENDANCE) {
      const idx = lesson.attendance.findIndex((a) => a.role === 'student' && a.leftAt !== null)
      const fallback = lesson.attendance.findIndex((a) => a.role === 'student')
      lesson.attendance.splice(idx >= 0 ? idx : fallback, 1)
    }
  }

  info(lesson: StoredLesson): LessonInfo {
    return { id: lesson.id, tutorName: lesson.tutorName, startedAt: lesson.startedAt }
  }

  summary(lesson: StoredLesson): LessonSummary {
    const endedAt = lesson.endedAt ?? this.opts.now()
    return {
      lessonId: lesson.id,
      tutorName: lesson.tutorName,
      startedAt: lesson.startedAt,
      endedAt,
      durationMs: lesson.startedAt === null ? 0 : Math.max(0, endedAt - lesson.startedAt),
      attendance: lesson.attendance.map((a) => ({ ...a })),
      endedBy: lesson.endedBy ?? 'tutor',
    }
  }

  /** Marks the lesson ended (once) and tells listeners, who close its sockets. */
  end(lesson: StoredLesson, endedBy: 'tutor' | 'expired'): LessonSummary {
    if (lesson.endedAt !== null) return this.summary(lesson)
    lesson.endedAt = this.opts.now()
    lesson.endedBy = endedBy
    this.opts.store.saveLesson(lesson)
    const summary = this.summary(lesson)
    this.opts.logger.info('Lesson ended', { lessonId: lesson.id, endedBy, durationMs: summary.durationMs })
    for (const listener of this.endedListeners) {
      try {
        listener(lesson, summary)
      } catch (err) {
        this.opts.logger.error('Lesson-ended listener failed', { lessonId: lesson.id, error: String(err) })
      }
    }
    return summary
  }

  /**
   * Expires lessons nobody can use any more and drops long-ended ones, so the
   * maps stay bounded. Cheap enough to run on every create and on a timer.
   */
  sweep(): void {
    const now = this.opts.now()
    for (const lesson of [...this.lessons.values()]) {
      if (lesson.endedAt === null) {
        const tutorNeverCame = !lesson.attendance.some((a) => a.role === 'tutor')
        const nobodyHere = lesson.attendance.every((a) => a.leftAt !== null)
        if ((tutorNeverCame && now >= lesson.inviteExpiresAt) || (nobodyHere && now >= lesson.tokensValidUntil)) {
          this.end(lesson, 'expired')
        }
      } else if (now - lesson.endedAt >= ENDED_RETENTION_MS) {
        this.drop(lesson)
      }
    }
  }

  private dropOldestEnded(): boolean {
    let oldest: StoredLesson | undefined
    for (const lesson of this.lessons.values()) {
      if (lesson.endedAt !== null && (!oldest || lesson.endedAt < (oldest.endedAt ?? 0))) oldest = lesson
    }
    if (oldest) this.drop(oldest)
    return oldest !== undefined
  }

  /** Forgets a long-ended lesson here; the store keeps it as history. */
  private drop(lesson: StoredLesson): void {
    this.lessons.delete(lesson.id)
    for (const code of [...lesson.retiredCodes, lesson.inviteCode]) {
      if (this.byCode.get(code) === lesson.id) this.byCode.delete(code)
    }
  }
}
