import type { ThreadDirectory, ThreadStudent } from '../chat/threadAccess'
import type { TutorKeys } from '../lesson/tutorKeys'
import type { RecordAccess } from './access'
import type { RosterTable } from './rosterTable'

/** The student records as the threads between lessons see them: who a code or key opens, whose student is whose. */
export function threadDirectory(deps: { roster: RosterTable; access: RecordAccess; tutorKeys: TutorKeys }): ThreadDirectory {
  const { roster } = deps
  const names = new Map<string, string>()
  const tutorName = async (accountId: string): Promise<string> => {
    let name = names.get(accountId)
    if (name === undefined) {
      name = (await roster.accountById(accountId))?.name ?? 'Tutor'
      if (names.size > 1000) names.clear()
      names.set(accountId, name)
    }
    return name
  }
  const toThreadStudent = async (row: { id: string; name: string; account_id: string; code: string }): Promise<ThreadStudent> => ({
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    tutorName: await tutorName(row.account_id),
    code: row.code,
  })
  return {
    async identify(token, ip) {
      const holder = deps.tutorKeys.identifyToken(token)
      if (holder) {
        const account = await roster.account(holder)
        names.set(account.id, account.name)
        return { kind: 'account', accountId: account.id, name: account.name, staff: account.role === 'staff' }
      }
      return { kind: 'student', student: await toThreadStudent(await deps.access.studentByCode(token, ip)) }
    },
    async student(studentId) {
      const row = await roster.get(studentId)
      return row ? toThreadStudent(row) : undefined
    },
    async studentsOf(accountId, everyone) {
      const rows = await roster.all(everyone ? null : accountId)
      return Promise.all(rows.map(toThreadStudent))
    },
  }
}
