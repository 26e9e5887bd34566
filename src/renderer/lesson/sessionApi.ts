import type { z } from 'zod'
import { ApiErrorSchema } from '../../shared/errors'
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
import { ApiRequestError } from './ApiRequestError'

const TIMEOUT_MS = 10_000

/** Typed client for the session server's HTTP API; every reply is validated. */
export class SessionApi {
  constructor(readonly server: string) {}

  config(): Promise<PublicConfig> {
    return this.request('GET', '/api/config', undefined, PublicConfigSchema)
  }

  /** `tutorKey`: the server's tutor key, when it asks for one (the desktop app's own server always does). */
  createLesson(tutorName: string, tutorKey?: string | null): Promise<CreateLessonResponse> {
    return this.request('POST', '/api/lessons', { tutorName }, CreateLessonResponseSchema, tutorKey ? { Authorization: `Bearer ${tutorKey}` } : {})
  }

  /** The lesson's tutor: a fresh invite code (the old one stops admitting). */
  newInvite(lessonId: string, tutorToken: string): Promise<NewInviteResponse> {
    return this.request('POST', `/api/lessons/${encodeURIComponent(lessonId)}/invite`, {}, NewInviteResponseSchema, { Authorization: `Bearer ${tutorToken}` })
  }

  previewInvite(code: string): Promise<InvitePreview> {
    return this.request('GET', `/api/invites/${encodeURIComponent(code)}`, undefined, InvitePreviewSchema)
  }

  joinLesson(code: string, studentName: string): Promise<JoinResponse> {
    return this.request('POST', `/api/invites/${encodeURIComponent(code)}/join`, { studentName }, JoinResponseSchema)
  }

  private async request<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>, headers: Record<string, string> = {}): Promise<T> {
    let response: Response
    try {
      response = await fetch(new URL(path, this.server), {
        method,
        headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
    } catch (error) {
      throw new ApiRequestError('network', String(error), this.server)
    }
    const json: unknown = await response.json().catch(() => null)
    if (!response.ok) {
      const parsed = ApiErrorSchema.safeParse(json)
      if (parsed.success) throw new ApiRequestError(parsed.data.error.code, parsed.data.error.message, this.server)
      throw new ApiRequestError('unexpected', `HTTP ${response.status}`, this.server)
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) throw new ApiRequestError('unexpected', 'The server sent a reply Duet does not understand.', this.server)
    return parsed.data
  }
}
