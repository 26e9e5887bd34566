import { randomUUID } from 'node:crypto'
import type { FlagActionRequest, RecordAction } from '../../../shared/students/warnings'
import { FlagActionRequestSchema } from '../../../shared/students/warnings'
import { nextPlannedStart } from '../../../shared/students/schedule'
import type { Db } from '../../db/schema'
import { HttpError } from '../../http/respond'
import type { Account, StudentRow } from '../rosterTable'
import type { StudentsContext } from '../context'
import type { ScheduleTable } from '../scheduleTable'
import { toAction } from './reads'

const DAY = 86_400_000

/**
 * What a tutor does about a student, from the dashboard (on a flag) or the
 * record: a message the student sees, a lesson moved, a flag snoozed or
 * dismissed. Every one is kept in the record.
 */
export async function act(
  deps: { db: Db; schedule: ScheduleTable; now: () => number; toThread: StudentsContext['toThread'] },
  account: Account,
  student: StudentRow,
  flagId: string | null,
  request: FlagActionRequest,
): Promise<RecordAction> {
  const { db, now } = deps
  const action = FlagActionRequestSchema.parse(request)
  if (flagId !== null) {
    const flag = await db.selectFrom('flags').select(['id']).where('id', '=', flagId).where('student_id', '=', student.id).where('state', '<>', 'resolved').executeTakeFirst()
    if (!flag) throw new HttpError(404, 'flag_not_found', 'No such open flag for this student')
  } else if (action.kind === 'snooze' || action.kind === 'dismiss') {
    throw new HttpError(400, 'bad_request', `${action.kind} needs a flag`)
  }
  const row = {
    id: randomUUID(),
    student_id: student.id,
    flag_id: flagId,
    kind: action.kind,
    text: '',
    at: now(),
    by_account: account.id,
    by_name: account.name.slice(0, 40),
    until: null as number | null,
  }
  switch (action.kind) {
    case 'message':
      row.text = action.text
      // A tutor's check-in reaches the student in their thread (live, unread, notified), once the flag is
      // known to be theirs and before it is recorded; staff write in no thread, so theirs stays in the
      // record, where the student's page shows it.
      if (account.role !== 'staff') await deps.toThread(account, student.id, action.text)
      break
    case 'reschedule': {
      const changes = await deps.schedule.changes(student.id)
      await deps.schedule.add(student.id, { from: nextPlannedStart(student.plan, changes, now()), to: action.to, note: action.note })
      row.text = action.note
      row.until = action.to
      break
    }
    case 'snooze':
      row.until = now() + action.days * DAY
      await db.updateTable('flags').set({ state: 'snoozed', snoozed_until: row.until, updated_at: now() }).where('id', '=', flagId as string).execute()
      break
    case 'dismiss':
      row.text = action.note
      await db.updateTable('flags').set({ state: 'dismissed', snoozed_until: null, updated_at: now() }).where('id', '=', flagId as string).execute()
      break
  }
  await db.insertInto('record_actions').values(row).execute()
  return toAction(row)
}
