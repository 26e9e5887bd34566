import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  AssignHomeworkRequestSchema,
  HomeworkFileNameSchema,
  MAX_HOMEWORK_FILE_BYTES,
  MAX_HOMEWORK_FILES,
  ReviewHomeworkRequestSchema,
  SubmitHomeworkRequestSchema,
  sniffHomeworkFile,
  type Homework,
  type HomeworkFile,
} from '../../shared/students/homework'
import { normalizeStudentCode, StudentCodeSchema } from '../../shared/students/link'
import { readBody, readJson } from '../http/body'
import { BASE_HEADERS, HttpError } from '../http/respond'
import { RESPONDED, type Route } from '../http/routes'
import { bearerToken } from '../lesson/auth'
import { ID, studentRoute, tutorRoute, type StudentsContext } from './context'
import type { HomeworkRecord } from './homeworkTable'
import { PRACTICE_MINUTES_PER_QUESTION } from './activityTable'

/**
 * Homework: the tutor assigns it (text, a board page or a PDF, a due date)
 * and reviews it; the student hands it in (text, photos or PDFs) or marks it
 * done. Files are checked by their bytes and size, and kept in the database.
 */
export function homeworkRoutes(ctx: StudentsContext): Route[] {
  const { homework, access } = ctx

  async function homeworkOf(id: string, studentId: string): Promise<HomeworkRecord> {
    const row = await homework.get(id)
    if (!row || row.student_id !== studentId) throw new HttpError(404, 'homework_not_found', 'No such homework for this student')
    return row
  }

  async function one(id: string, studentId: string): Promise<Homework> {
    const found = (await homework.ofStudents([studentId])).find((h) => h.id === id)
    if (!found) throw new HttpError(404, 'homework_not_found', 'No such homework for this student')
    return found
  }

  async function upload(req: IncomingMessage, row: HomeworkRecord, role: HomeworkFile['role']): Promise<HomeworkFile> {
    const name = HomeworkFileNameSchema.safeParse(new URL(req.url ?? '/', 'http://localhost').searchParams.get('name') ?? '')
    if (!name.success) throw new HttpError(400, 'bad_request', 'name: a file name without slashes')
    if ((await homework.fileCount(row.id, role)) >= MAX_HOMEWORK_FILES) throw new HttpError(409, 'payload_too_large', `At most ${MAX_HOMEWORK_FILES} files`)
    const data = new Uint8Array(await readBody(req, MAX_HOMEWORK_FILE_BYTES))
    const contentType = sniffHomeworkFile(data)
    if (!contentType) throw new HttpError(415, 'bad_request', 'Only PDF, PNG, JPEG or WebP files')
    return homework.addFile(row.id, { role, name: name.data, contentType, data })
  }

  return [
    tutorRoute(ctx, 'POST', new RegExp(`^/api/roster/${ID}/homework$`), async (req, account, [studentId = '']) => {
      const student = await access.studentFor(account, studentId)
      const request = await readJson(req, AssignHomeworkRequestSchema)
      const id = await homework.assign(student.id, request)
      ctx.logger.info('Homework assigned', { studentId: student.id, homeworkId: id })
      ctx.changed(student.id)
      return one(id, student.id)
    }),
    tutorRoute(ctx, 'POST', new RegExp(`^/api/roster/${ID}/homework/${ID}/files$`), async (req, account, [studentId = '', id = '']) => {
      const student = await access.studentFor(account, studentId)
      return upload(req, await homeworkOf(id, student.id), 'assignment')
    }),
    tutorRoute(ctx, 'POST', new RegExp(`^/api/roster/${ID}/homework/${ID}/review$`), async (req, account, [studentId = '', id = '']) => {
      const student = await access.studentFor(account, studentId)
      await homeworkOf(id, student.id)
      await homework.review(id, (await readJson(req, ReviewHomeworkRequestSchema)).comment)
      ctx.changed(student.id)
      return one(id, student.id)
    }),

    studentRoute(ctx, 'POST', new RegExp(`^/api/me/homework/${ID}/submit$`), async (req, student, [id = '']) => {
      const row = await homeworkOf(id, student.id)
      if (row.status === 'reviewed') throw new HttpError(409, 'homework_closed', 'This homework is already reviewed')
      const { text } = await readJson(req, SubmitHomeworkRequestSchema)
      if (row.handed_in_at === null) ctx.activity.record(student.id, 'homework_submitted', PRACTICE_MINUTES_PER_QUESTION)
      await homework.handIn(id, 'submitted', text)
      ctx.changed(student.id)
      return one(id, student.id)
    }),
    studentRoute(ctx, 'POST', new RegExp(`^/api/me/homework/${ID}/done$`), async (_req, student, [id = '']) => {
      const row = await homeworkOf(id, student.id)
      if (row.status === 'reviewed') throw new HttpError(409, 'homework_closed', 'This homework is already reviewed')
      if (row.handed_in_at === null) ctx.activity.record(student.id, 'homework_submitted', 0)
      await homework.handIn(id, row.status === 'submitted' ? 'submitted' : 'done', null)
      ctx.changed(student.id)
      return one(id, student.id)
    }),
    studentRoute(ctx, 'POST', new RegExp(`^/api/me/homework/${ID}/files$`), async (req, student, [id = '']) => {
      const row = await homeworkOf(id, student.id)
      if (row.status === 'reviewed') throw new HttpError(409, 'homework_closed', 'This homework is already reviewed')
      return upload(req, row, 'submission')
    }),

    {
      // Both sides read the files: the tutor with their key, the student with their code.
      method: 'GET',
      pattern: new RegExp(`^/api/homework/${ID}/files/${ID}$`),
      handle: async (req: IncomingMessage, res: ServerResponse, [id = '', fileId = '']) => {
        const row = await homework.get(id)
        const code = normalizeStudentCode(bearerToken(req.headers.authorization))
        if (StudentCodeSchema.safeParse(code).success) {
          const student = await access.student(req)
          if (!row || row.student_id !== student.id) throw new HttpError(404, 'homework_not_found', 'No such homework')
        } else {
          const account = await access.account(req)
          if (!row) throw new HttpError(404, 'homework_not_found', 'No such homework')
          await access.studentFor(account, row.student_id)
        }
        const file = await homework.file(id, fileId)
        if (!file) throw new HttpError(404, 'not_found', 'No such file')
        res.writeHead(200, {
          ...BASE_HEADERS,
          'Content-Type': file.contentType,
          'Content-Length': String(file.data.byteLength),
          'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
          'Cache-Control': 'private, no-store',
          // Never rendered as a page of this origin, whatever the bytes.
          'Content-Security-Policy': "default-src 'none'; sandbox",
        })
        res.end(file.data)
        return RESPONDED
      },
    },
  ]
}
