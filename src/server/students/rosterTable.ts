import { randomInt, randomUUID } from 'node:crypto'
import { sql, type Selectable } from 'kysely'
import { INVITE_ALPHABET } from '../../shared/lesson/invite'
import { STUDENT_CODE_LENGTH, studentLinkUrl } from '../../shared/students/link'
import type { AccountRole, CreateStudentRequest, Student, UpdateStudentRequest } from '../../shared/students/roster'
import { CreateStudentRequestSchema, StudentSchema } from '../../shared/students/roster'
import type { Db } from '../db/schema'
import { toJson } from '../db/json'
import type { StudentsTable } from '../db/tables/students'
import type { KeyHolder } from '../lesson/tutorKeys'

export type StudentRow = Selectable<StudentsTable>

/** Who is asking for roster data: an account (its id and role). */
export interface Account {
  id: string
  role: AccountRole
  name: string
}

export function newStudentCode(): string {
  let code = ''
  for (let i = 0; i < STUDENT_CODE_LENGTH; i++) code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]
  return code
}

/** Accounts (made on first use of their key) and the students on their rosters. */
export class RosterTable {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly publicUrl: () => string,
  ) {}

  /** The account of a key holder, made on first sight; its name follows the configuration, else the latest name it gave. */
  async account(holder: KeyHolder, nameHint: string | null = null): Promise<Account> {
    const now = this.now()
    const name = holder.name ?? nameHint
    const row = await this.db
      .insertInto('accounts')
      .values({ id: holder.accountId, name: name ?? 'Tutor', role: holder.role, created_at: now, last_seen_at: now })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          role: holder.role,
          last_seen_at: now,
          name: name === null ? eb.ref('accounts.name') : name,
        })),
      )
      .returning(['id', 'role', 'name'])
      .executeTakeFirstOrThrow()
    return row
  }

  async accountById(id: string): Promise<Account | undefined> {
    return this.db.selectFrom('accounts').select(['id', 'role', 'name']).where('id', '=', id).executeTakeFirst()
  }

  async create(account: Account, request: CreateStudentRequest): Promise<StudentRow> {
    const fields = CreateStudentRequestSchema.parse(request)
    const now = this.now()
    // A clash of two random 12-character codes is all but impossible; the unique index has the last word.
    const row: StudentRow = {
      id: randomUUID(),
      account_id: account.id,
      name: fields.name,
      notes: fields.notes,
      subject: fields.subject,
      goal: fields.goal,
      plan: fields.plan,
      code: newStudentCode(),
      archived_at: null,
      created_at: now,
      updated_at: now,
    }
    await this.db.insertInto('students').values({ ...row, plan: toJson(row.plan) }).execute()
    return row
  }

  async update(id: string, patch: UpdateStudentRequest): Promise<void> {
    const { plan, ...rest } = patch
    await this.db
      .updateTable('students')
      .set({ ...rest, ...(plan === undefined ? {} : { plan: toJson(plan) }), updated_at: this.now() })
      .where('id', '=', id)
      .execute()
  }

  async setArchived(id: string, archived: boolean): Promise<void> {
    await this.db.updateTable('students').set({ archived_at: archived ? this.now() : null, updated_at: this.now() }).where('id', '=', id).execute()
  }

  /** A new personal code: the old link stops working at once. */
  async renewCode(id: string): Promise<string> {
    const code = newStudentCode()
    await this.db.updateTable('students').set({ code, updated_at: this.now() }).where('id', '=', id).execute()
    return code
  }

  async get(id: string): Promise<StudentRow | undefined> {
    return this.db.selectFrom('students').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async byCode(code: string): Promise<StudentRow | undefined> {
    return this.db.selectFrom('students').selectAll().where('code', '=', code).executeTakeFirst()
  }

  /** Every student of one account (archived too), or of every account (null): ids, names, codes and whose they are. */
  async all(accountId: string | null): Promise<Pick<StudentRow, 'id' | 'name' | 'account_id' | 'code'>[]> {
    let q = this.db.selectFrom('students').select(['id', 'name', 'account_id', 'code'])
    if (accountId !== null) q = q.where('account_id', '=', accountId)
    return q.execute()
  }

  /** The students an account may see: its own, or (staff) everyone's. */
  async list(account: Account, options: { archived: boolean; query: string }): Promise<(StudentRow & { tutor_name: string })[]> {
    let q = this.db
      .selectFrom('students')
      .innerJoin('accounts', 'accounts.id', 'students.account_id')
      .selectAll('students')
      .select('accounts.name as tutor_name')
      .where('students.archived_at', options.archived ? 'is not' : 'is', null)
    if (account.role !== 'staff') q = q.where('students.account_id', '=', account.id)
    const query = options.query.trim()
    if (query) {
      const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      q = q.where((eb) => eb.or([eb('students.name', 'ilike', like), eb('students.subject', 'ilike', like), eb('students.goal', 'ilike', like)]))
    }
    return q.orderBy(sql`lower(students.name)`).execute()
  }

  /** The row as the API shows it (checked: rows are read back from disk). */
  toStudent(row: StudentRow): Student {
    return StudentSchema.parse({
      id: row.id,
      tutorId: row.account_id,
      name: row.name,
      notes: row.notes,
      subject: row.subject,
      goal: row.goal,
      plan: row.plan,
      code: row.code,
      link: studentLinkUrl(this.publicUrl(), row.code),
      archived: row.archived_at !== null,
      createdAt: row.created_at,
    })
  }
}
