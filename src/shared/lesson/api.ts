import { z } from 'zod'
import { DisplayNameSchema } from './lesson'
import { InviteCodeSchema } from './invite'
import { StudentCodeSchema } from '../students/link'

/** Largest JSON body the server reads; anything larger is refused with 413. */
export const MAX_HTTP_BODY_BYTES = 16 * 1024

export const MediaEngineKindSchema = z.enum(['builtin', 'agora'])
export type MediaEngineKind = z.infer<typeof MediaEngineKindSchema>

/** GET /api/config */
export const PublicConfigSchema = z.object({
  version: z.string(),
  engine: MediaEngineKindSchema,
  /** Starting a lesson needs the server's tutor key (Authorization: Bearer <key>). */
  tutorKeyRequired: z.boolean(),
})
export type PublicConfig = z.infer<typeof PublicConfigSchema>

/** POST /api/lessons — `studentId`: started from that student's record (the lesson is theirs). */
export const CreateLessonRequestSchema = z.object({ tutorName: DisplayNameSchema, studentId: z.string().min(1).max(64).optional() })
export type CreateLessonRequest = z.infer<typeof CreateLessonRequestSchema>

export const CreateLessonResponseSchema = z.object({
  lessonId: z.string(),
  inviteCode: InviteCodeSchema,
  /** Browser link a student can open: <publicUrl>/join/<code>. */
  inviteUrl: z.string().url(),
  /** Desktop deep link: duet://join/<code>?server=<publicUrl>. */
  inviteDeepLink: z.string(),
  inviteExpiresAt: z.number(),
  tutorToken: z.string(),
  /** The tutor's participant id (the token's subject): who this app is in the lesson. */
  participantId: z.string().min(1).max(64),
})
export type CreateLessonResponse = z.infer<typeof CreateLessonResponseSchema>

/** POST /api/lessons/:id/invite (the lesson's tutor, Authorization: Bearer <tutor token>): a fresh invite; the old code stops admitting. */
export const NewInviteResponseSchema = z.object({
  inviteCode: InviteCodeSchema,
  inviteUrl: z.string().url(),
  inviteDeepLink: z.string(),
  inviteExpiresAt: z.number(),
})
export type NewInviteResponse = z.infer<typeof NewInviteResponseSchema>

/** GET /api/invites/:code — preview before joining. */
export const InvitePreviewSchema = z.object({
  lessonId: z.string(),
  tutorName: DisplayNameSchema,
  expiresAt: z.number(),
})
export type InvitePreview = z.infer<typeof InvitePreviewSchema>

/**
 * POST /api/invites/:code/join — `studentCode`: the joining device keeps
 * this student's personal code, so the lesson can become theirs.
 */
export const JoinRequestSchema = z.object({ studentName: DisplayNameSchema, studentCode: StudentCodeSchema.optional() })
export type JoinRequest = z.infer<typeof JoinRequestSchema>

export const JoinResponseSchema = z.object({
  lessonId: z.string(),
  tutorName: DisplayNameSchema,
  studentToken: z.string(),
  /** The student's participant id (the token's subject). */
  participantId: z.string().min(1).max(64),
})
export type JoinResponse = z.infer<typeof JoinResponseSchema>
