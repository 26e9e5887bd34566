import { z } from 'zod'
import { JoinResponseSchema, type JoinResponse } from '../../shared/lesson/api'
import { HomeworkSchema, type AssignHomeworkRequest, type Homework, type HomeworkFile } from '../../shared/students/homework'
import { MyRecordSchema, StudentRecordSchema, type MyRecord, type StudentRecord } from '../../shared/students/record'
import {
  InviteLessonsResponseSchema,
  LessonOwnerSchema,
  RosterResponseSchema,
  StudentSchema,
  type CreateStudentRequest,
  type InviteLesson,
  type LessonOwner,
  type RosterResponse,
  type Student,
} from '../../shared/students/roster'
import type { Rating } from '../../shared/students/rating'
import {
  AtRiskResponseSchema,
  DigestSchema,
  RecordActionSchema,
  WarningSettingsSchema,
  type AtRiskResponse,
  type Digest,
  type FlagActionRequest,
  type RecordAction,
  type WarningSettings,
  type WarningThresholds,
} from '../../shared/students/warnings'
import { apiRequest } from '../lesson/apiRequest'
import { homeworkFileBlob, uploadHomeworkFile } from './homeworkFiles'

const OkSchema = z.object({ ok: z.literal(true) })
const id = (value: string): string => encodeURIComponent(value)

/** The tutor's side of the student records (their key names the roster); every reply is validated. */
export class RosterApi {
  constructor(
    readonly server: string,
    private readonly tutorKey: string,
  ) {}

  roster(query = '', archived = false): Promise<RosterResponse> {
    const params = new URLSearchParams({ q: query, ...(archived ? { archived: '1' } : {}) })
    return this.call('GET', `/api/roster?${params.toString()}`, undefined, RosterResponseSchema)
  }

  add(request: CreateStudentRequest): Promise<Student> {
    return this.call('POST', '/api/roster', request, StudentSchema)
  }

  record(studentId: string): Promise<StudentRecord> {
    return this.call('GET', `/api/roster/${id(studentId)}`, undefined, StudentRecordSchema)
  }

  /** The tutor's recent lessons held through a one-off invite that belong to no student yet. */
  async inviteLessons(studentId: string): Promise<InviteLesson[]> {
    return (await this.call('GET', `/api/roster/${id(studentId)}/invite-lessons`, undefined, InviteLessonsResponseSchema)).lessons
  }

  /** Whose a lesson is (a student on the roster, or nobody yet). */
  lessonOwner(lessonId: string): Promise<LessonOwner> {
    return this.call('GET', `/api/roster/lessons/${id(lessonId)}/student`, undefined, LessonOwnerSchema)
  }

  /** Says whose a lesson was (null: nobody's): it then counts in that student's record. */
  attachLesson(lessonId: string, studentId: string | null): Promise<void> {
    return this.call('POST', `/api/roster/lessons/${id(lessonId)}/student`, { studentId }, OkSchema).then(() => undefined)
  }

  atRisk(): Promise<AtRiskResponse> {
    return this.call('GET', '/api/roster/at-risk', undefined, AtRiskResponseSchema)
  }

  /** The early-warning thresholds in force for this key (a tutor's own; staff: the school's) and what they fall back to. */
  warningSettings(): Promise<WarningSettings> {
    return this.call('GET', '/api/roster/warnings/settings', undefined, WarningSettingsSchema)
  }

  changeWarningSettings(changes: Partial<WarningThresholds>): Promise<WarningSettings> {
    return this.call('POST', '/api/roster/warnings/settings', changes, WarningSettingsSchema)
  }

  resetWarningSettings(): Promise<WarningSettings> {
    return this.call('POST', '/api/roster/warnings/settings/reset', {}, WarningSettingsSchema)
  }

  /** Flags raised since the tutor last marked the digest read. */
  digest(): Promise<Digest> {
    return this.call('GET', '/api/roster/digest', undefined, DigestSchema)
  }

  digestSeen(): Promise<void> {
    return this.call('POST', '/api/roster/digest/seen', {}, OkSchema).then(() => undefined)
  }

  /** Archived students leave the roster and the dashboard (their record stays). */
  archive(studentId: string, archived: boolean): Promise<StudentRecord> {
    return this.call('POST', `/api/roster/${id(studentId)}/archive`, { archived }, StudentRecordSchema)
  }

  assignHomework(studentId: string, request: AssignHomeworkRequest): Promise<Homework> {
    return this.call('POST', `/api/roster/${id(studentId)}/homework`, request, HomeworkSchema)
  }

  /** Attaches a PDF or picture (a board page) to homework the tutor assigned. */
  attach(studentId: string, homeworkId: string, file: File, onProgress: (fraction: number) => void): Promise<HomeworkFile> {
    return uploadHomeworkFile(this.server, `/api/roster/${id(studentId)}/homework/${id(homeworkId)}/files`, this.tutorKey, file, onProgress)
  }

  fileBlob(homeworkId: string, file: HomeworkFile): Promise<Blob> {
    return homeworkFileBlob(this.server, homeworkId, file, this.tutorKey)
  }

  review(studentId: string, homeworkId: string, comment: string): Promise<Homework> {
    return this.call('POST', `/api/roster/${id(studentId)}/homework/${id(homeworkId)}/review`, { comment }, HomeworkSchema)
  }

  /** A message, a rescheduled lesson, or (on a flag) a snooze or dismissal. */
  act(studentId: string, flagId: string | null, action: FlagActionRequest): Promise<RecordAction> {
    return this.call('POST', `/api/roster/${id(studentId)}/actions`, { flagId, action }, RecordActionSchema)
  }

  private call<T>(method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return apiRequest(this.server, method, path, body, schema, this.tutorKey)
  }
}

/** The student's own side (their personal code is the key). */
export class MyRecordApi {
  constructor(
    readonly server: string,
    private readonly code: string,
  ) {}

  record(): Promise<MyRecord> {
    return this.call('GET', '/api/me', undefined, MyRecordSchema)
  }

  /** Joins the lesson their tutor has open for them; it is attributed to them. */
  join(): Promise<JoinResponse> {
    return this.call('POST', '/api/me/join', {}, JoinResponseSchema)
  }

  submit(homeworkId: string, text: string): Promise<Homework> {
    return this.call('POST', `/api/me/homework/${id(homeworkId)}/submit`, { text }, HomeworkSchema)
  }

  /** A photo or PDF of their work, kept with the homework until it is reviewed. */
  attach(homeworkId: string, file: File, onProgress: (fraction: number) => void): Promise<HomeworkFile> {
    return uploadHomeworkFile(this.server, `/api/me/homework/${id(homeworkId)}/files`, this.code, file, onProgress)
  }

  fileBlob(homeworkId: string, file: HomeworkFile): Promise<Blob> {
    return homeworkFileBlob(this.server, homeworkId, file, this.code)
  }

  markDone(homeworkId: string): Promise<Homework> {
    return this.call('POST', `/api/me/homework/${id(homeworkId)}/done`, {}, HomeworkSchema)
  }

  rate(lessonId: string, rating: Rating): Promise<void> {
    return this.call('POST', `/api/me/lessons/${id(lessonId)}/rating`, rating, OkSchema).then(() => undefined)
  }

  private call<T>(method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return apiRequest(this.server, method, path, body, schema, this.code)
  }
}
