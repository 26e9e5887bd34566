import { randomUUID } from 'node:crypto'
import { groupBy } from '../../shared/groupBy'
import type { ScheduleChange } from '../../shared/students/plan'
import type { Db } from '../db/schema'

/** Lessons moved by hand (reschedule), per student. */
export class ScheduleTable {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async changes(studentId: string): Promise<ScheduleChange[]> {
    return (await this.changesOf([studentId])).get(studentId) ?? []
  }

  async changesOf(studentIds: readonly string[]): Promise<Map<string, ScheduleChange[]>> {
    if (studentIds.length === 0) return new Map()
    const rows = await this.db.selectFrom('schedule_changes').selectAll().where('student_id', 'in', studentIds).orderBy('to_at').execute()
    const out = new Map<string, ScheduleChange[]>()
    for (const [studentId, list] of groupBy(rows, (row) => row.student_id)) out.set(studentId, list.map((row) => ({ id: row.id, from: row.from_at, to: row.to_at, note: row.note })))
    return out
  }

  async add(studentId: string, change: { from: number | null; to: number; note: string }): Promise<ScheduleChange> {
    const id = randomUUID()
    await this.db.insertInto('schedule_changes').values({ id, student_id: studentId, from_at: change.from, to_at: change.to, note: change.note, created_at: this.now() }).execute()
    return { id, ...change }
  }
}
