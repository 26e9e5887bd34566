import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import {
  HomeworkSchema,
  homeworkTiming,
  type AssignHomeworkRequest,
  type Homework,
  type HomeworkFile,
  type HomeworkStatus,
} from '../../shared/students/homework'
import { AssignHomeworkRequestSchema } from '../../shared/students/homework'
import type { Db } from '../db/schema'
import type { HomeworkTable as HomeworkRow } from '../db/tables/homework'

export type HomeworkRecord = Selectable<HomeworkRow>

/** Homework and its files: assign, hand in, review, and read back for records and early warning. */
export class HomeworkTable {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async assign(studentId: string, request: AssignHomeworkRequest): Promise<string> {
    const fields = AssignHomeworkRequestSchema.parse(request)
    const id = randomUUID()
    await this.db
      .insertInto('homework')
      .values({
        id,
        student_id: studentId,
        lesson_id: fields.lessonId,
        title: fields.title,
        body: fields.body,
        assigned_at: this.now(),
        due_at: fields.dueAt,
        status: 'assigned',
      })
      .execute()
    return id
  }

  async get(id: string): Promise<HomeworkRecord | undefined> {
    return this.db.selectFrom('homework').selectAll().where('id', '=', id).executeTakeFirst()
  }

  /** Handed in: with work ('submitted') or just marked done; handing in again updates the text, not the time. */
  async handIn(id: string, status: Extract<HomeworkStatus, 'submitted' | 'done'>, text: string | null): Promise<void> {
    const row = await this.get(id)
    await this.db
      .updateTable('homework')
      .set({
        status,
        handed_in_at: row?.handed_in_at ?? this.now(),
        ...(text === null ? {} : { submission_text: text }),
      })
      .where('id', '=', id)
      .execute()
  }

  async review(id: string, comment: string): Promise<void> {
    await this.db.updateTable('homework').set({ status: 'reviewed', reviewed_at: this.now(), review_comment: comment }).where('id', '=', id).execute()
  }

  async addFile(homeworkId: string, file: { role: HomeworkFile['role']; name: string; contentType: string; data: Uint8Array }): Promise<HomeworkFile> {
    const id = randomUUID()
    await this.db
      .insertInto('homework_files')
      .values({ id, homework_id: homeworkId, role: file.role, name: file.name, content_type: file.contentType, size: file.data.byteLength, data: Buffer.from(file.data), created_at: this.now() })
      .execute()
    return { id, role: file.role, name: file.name, contentType: file.contentType as HomeworkFile['contentType'], size: file.data.byteLength }
  }

  async fileCount(homeworkId: string, role: HomeworkFile['role']): Promise<number> {
    const row = await this.db.selectFrom('homework_files').select((eb) => eb.fn.countAll().as('n')).where('homework_id', '=', homeworkId).where('role', '=', role).executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  async file(homeworkId: string, fileId: string): Promise<{ name: string; contentType: string; data: Uint8Array } | undefined> {
    const row = await this.db
      .selectFrom('homework_files')
      .select(['name', 'content_type', 'data'])
      .where('homework_id', '=', homeworkId)
      .where('id', '=', fileId)
      .executeTakeFirst()
    return row ? { name: row.name, contentType: row.content_type, data: row.data } : undefined
  }

  /** The homework of these students (newest due first), as the API shows it. */
  async ofStudents(studentIds: readonly string[], since = 0): Promise<Homework[]> {
    if (studentIds.length === 0) return []
    const rows = await this.db
      .selectFrom('homework')
      .selectAll()
      .where('student_id', 'in', studentIds)
      .where((eb) => eb.or([eb('due_at', '>=', since), eb('handed_in_at', 'is', null)]))
      .orderBy('due_at', 'desc')
      .execute()
    const files = rows.length === 0 ? [] : await this.db
      .selectFrom('homework_files')
      .select(['id', 'homework_id', 'role', 'name', 'content_type', 'size'])
      .where('homework_id', 'in', rows.map((r) => r.id))
      .orderBy('created_at')
      .execute()
    const now = this.now()
    return rows.map((row) =>
      HomeworkSchema.parse({
        id: row.id,
        studentId: row.student_id,
        lessonId: row.lesson_id,
        title: row.title,
        body: row.body,
        assignedAt: row.assigned_at,
        dueAt: row.due_at,
        status: row.status,
        handedInAt: row.handed_in_at,
        submissionText: row.submission_text,
        ...homeworkTiming(row.due_at, row.handed_in_at, now),
        review: row.reviewed_at === null ? null : { comment: row.review_comment, at: row.reviewed_at },
        files: files.filter((f) => f.homework_id === row.id).map((f) => ({ id: f.id, role: f.role, name: f.name, contentType: f.content_type, size: f.size })),
      }),
    )
  }
}
