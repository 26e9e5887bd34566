import { z } from 'zod'
import {
  CreateLessonResponseSchema,
  InvitePreviewSchema,
  JoinResponseSchema,
  NewInviteResponseSchema,
  PublicConfigSchema,
  type CreateLessonResponse,
  type InvitePreview,
  type JoinResponse,
  type NewInviteResponse,
  type PublicConfig,
} from '../../shared/lesson/api'
import { apiRequest } from './apiRequest'

const LeaveResponseSchema = z.object({ ok: z.literal(true) })

/** Typed client for the session server's HTTP API; every reply is validated. */
export class SessionApi {
  constructor(readonly server: string) {}

  config(): Promise<PublicConfig> {
    return this.request('GET', '/api/config', undefined, PublicConfigSchema)
  }

  /**
   * `tutorKey`: the server's tutor key, when it asks for one (the desktop
   * app's own server always does); it also names the roster. `studentId`:
   * started from that student's record, the lesson is theirs.
   */
  createLesson(tutorName: string, tutorKey?: string | null, studentId?: string): Promise<CreateLessonResponse> {
    return this.request('POST', '/api/lessons', { tutorName, ...(studentId ? { studentId } : {}) }, CreateLessonResponseSchema, tutorKey)
  }

  /** The lesson's tutor: a fresh invite code (the old one stops admitting). */
  newInvite(lessonId: string, tutorToken: string): Promise<NewInviteResponse> {
    return this.request('POST', `/api/lessons/${encodeURIComponent(lessonId)}/invite`, {}, NewInviteResponseSchema, tutorToken)
  }

  previewInvite(code: string): Promise<InvitePreview> {
    return this.request('GET', `/api/invites/${encodeURIComponent(code)}`, undefined, InvitePreviewSchema)
  }

  /** `studentCode`: this device keeps that student's personal code, so the lesson becomes theirs. */
  joinLesson(code: string, studentName: string, studentCode?: string): Promise<JoinResponse> {
    return this.request('POST', `/api/invites/${encodeURIComponent(code)}/join`, { studentName, ...(studentCode ? { studentCode } : {}) }, JoinResponseSchema)
  }

  /** Leave said over HTTP, for when the lesson socket is down (see LessonSockets.leave); outlives the page. */
  leave(lessonId: string, token: string): Promise<{ ok: true }> {
    return apiRequest(this.server, 'POST', `/api/lessons/${encodeURIComponent(lessonId)}/leave`, {}, LeaveResponseSchema, token, { keepalive: true })
  }

  private request<T>(method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>, bearer?: string | null): Promise<T> {
    return apiRequest(this.server, method, path, body, schema, bearer)
  }
}
