import { RateLessonRequestSchema } from '../../shared/students/rating'
import { readJson } from '../http/body'
import { HttpError } from '../http/respond'
import type { Route } from '../http/routes'
import { admitStudent } from '../lesson/api'
import { ID, studentRoute, type StudentsContext } from './context'

/** The student's own side: their record, joining with their personal link, rating a lesson. */
export function meRoutes(ctx: StudentsContext): Route[] {
  const { registry, records } = ctx
  return [
    studentRoute(ctx, 'GET', /^\/api\/me$/, async (_req, student) => records.myRecord(student)),
    studentRoute(ctx, 'POST', /^\/api\/me\/join$/, async (_req, student) => {
      const lesson = student.archived_at === null ? registry.openLessonFor(student.account_id, student.id) : undefined
      if (!lesson) throw new HttpError(409, 'no_lesson_open', 'Your tutor has no lesson open for you right now')
      const joined = await admitStudent(ctx.admit, lesson, student.name)
      if (lesson.studentId !== student.id) await records.attribute(lesson.id, student.id)
      ctx.logger.info('Student joined with their personal link', { lessonId: lesson.id, studentId: student.id })
      return joined
    }),
    studentRoute(ctx, 'POST', new RegExp(`^/api/me/lessons/${ID}/rating$`), async (req, student, [lessonId = '']) => {
      const rating = await readJson(req, RateLessonRequestSchema)
      await ctx.registry.persisted()
      const lesson = await ctx.db.selectFrom('lessons').select(['student_id', 'started_at']).where('id', '=', lessonId).executeTakeFirst()
      // Only a lesson of theirs that took place can be rated.
      if (!lesson || lesson.student_id !== student.id || lesson.started_at === null) throw new HttpError(404, 'not_found', 'No such lesson of yours')
      const row = { lesson_id: lessonId, student_id: student.id, stars: rating.stars, word: rating.word, at: ctx.now() }
      await ctx.db
        .insertInto('ratings')
        .values(row)
        .onConflict((oc) => oc.column('lesson_id').doUpdateSet({ stars: row.stars, word: row.word, at: row.at }))
        .execute()
      ctx.changed(student.id)
      return { ok: true }
    }),
  ]
}
