import { randomUUID } from 'node:crypto'
import type { Db } from '../db/schema'
import type { ActivityTable as ActivityRow } from '../db/tables/students'
import { WriteQueue } from '../db/writeQueue'
import type { Logger } from '../logger'

/** Study minutes one practice question counts for: a rough, stated estimate (reading, thinking, asking again). */
export const PRACTICE_MINUTES_PER_QUESTION = 3

export type ActivityKind = ActivityRow['kind']

export interface ActivityEvent {
  studentId: string
  kind: ActivityKind
  at: number
  minutes: number
}

/** What students do between lessons. Recording is fire-and-forget (an answer or a video never waits for it). */
export class ActivityTable {
  private readonly queue: WriteQueue

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    logger: Logger,
  ) {
    this.queue = new WriteQueue(logger, 'activity')
  }

  record(studentId: string, kind: ActivityKind, minutes: number, lessonId: string | null = null): void {
    const row = { id: randomUUID(), student_id: studentId, kind, at: this.now(), minutes, lesson_id: lessonId }
    this.queue.enqueue(row.id, async () => {
      await this.db.insertInto('activity').values(row).execute()
    })
  }

  flush(): Promise<void> {
    return this.queue.flush()
  }

  /** Events of these students (or all students) at or after `since`. */
  async since(studentIds: readonly string[] | 'all', since: number): Promise<ActivityEvent[]> {
    if (studentIds !== 'all' && studentIds.length === 0) return []
    let query = this.db.selectFrom('activity').select(['student_id', 'kind', 'at', 'minutes']).where('at', '>=', since)
    if (studentIds !== 'all') query = query.where('student_id', 'in', studentIds)
    const rows = await query.execute()
    return rows.map((r) => ({ studentId: r.student_id, kind: r.kind, at: r.at, minutes: r.minutes }))
  }
}
