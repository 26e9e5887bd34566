import type { SessionServer } from '../../../../src/server/index'
import { StudentSchema, type CreateStudentRequest, type Student } from '../../../../src/shared/students/roster'
import { toJson } from '../../../../src/server/db/json'
import { postJson } from '../helpers'

/** A school server's keys: two tutors and the office (staff). */
export const LI = 'li-key-'.padEnd(32, 'l')
export const ZHANG = 'zhang-key-'.padEnd(32, 'z')
export const OFFICE = 'office-key-'.padEnd(32, 'o')
export const SCHOOL_KEYS = [
  { key: LI, id: 'li', name: 'Ms Li' },
  { key: ZHANG, id: 'zhang', name: 'Mr Zhang' },
  { key: OFFICE, id: 'office', name: 'Office', role: 'staff' as const },
]

export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` })

export async function getAs(server: SessionServer, path: string, token: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: bearer(token) })
}

export async function postAs(server: SessionServer, path: string, token: string, body: unknown = {}): Promise<Response> {
  return postJson(server, path, body, bearer(token))
}

export async function addStudent(server: SessionServer, key: string, fields: CreateStudentRequest): Promise<Student> {
  const res = await postAs(server, '/api/roster', key, fields)
  if (res.status !== 200) throw new Error(`add student: ${res.status} ${await res.text()}`)
  return StudentSchema.parse(await res.json())
}

export const TUE_THU = { days: [2, 4], time: '17:00', minutes: 60, timeZone: 'Asia/Shanghai' }

/** A roster row written straight into the database (tests of the reads below the routes); `n` makes its personal code. */
export function studentRow(id: string, accountId: string, n: number, fields: { createdAt?: number; archivedAt?: number | null; subject?: string } = {}) {
  return {
    id,
    account_id: accountId,
    name: `Student ${id}`,
    notes: '',
    subject: fields.subject ?? '',
    goal: '',
    plan: toJson(null),
    code: `CODE${n}`.padEnd(12, 'X'),
    archived_at: fields.archivedAt ?? null,
    created_at: fields.createdAt ?? 0,
    updated_at: fields.createdAt ?? 0,
  }
}
