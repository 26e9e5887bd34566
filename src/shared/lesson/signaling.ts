import { z } from 'zod'
import { ErrorCodeSchema } from '../errors'
import { MediaEngineKindSchema } from './api'
import { IceServerSchema, IceTransportPolicySchema } from './ice'
import { LessonInfoSchema, LessonSummarySchema, ParticipantSchema } from './lesson'
import { ChatClientMessages, ChatServerMessages } from '../chat/schema'
import { RecordingRefusalSchema, RecordingStateSchema, RecordingStorageSchema } from '../recording/state'

/** WebSocket path on the session server. */
export const WS_PATH = '/ws'
/** Largest WebSocket frame the server accepts (an SDP with many candidates fits easily). */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024
/** A client must say hello within this time or is disconnected. */
export const HELLO_TIMEOUT_MS = 10_000

/** WebSocket close codes (4000-4999 are free for applications). */
export const CloseCode = {
  badMessage: 4000,
  unauthorized: 4001,
  forbidden: 4003,
  lessonFull: 4009,
  lessonEnded: 4010,
  replaced: 4011,
  helloTimeout: 4008,
} as const

// ---- WebRTC signaling payloads --------------------------------------------

export const SessionDescriptionSchema = z.object({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().max(48 * 1024).optional(),
})

export const IceCandidateSchema = z.object({
  candidate: z.string().max(1024),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
})

export const SignalDataSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('description'), description: SessionDescriptionSchema }),
  /** candidate null = end of candidates */
  z.object({ kind: z.literal('candidate'), candidate: IceCandidateSchema.nullable() }),
])
export type SignalData = z.infer<typeof SignalDataSchema>

/** A box on screen in device pixels. */
export const ViewSizeSchema = z.object({
  width: z.number().int().min(1).max(16_384),
  height: z.number().int().min(1).max(16_384),
})
export type ViewSize = z.infer<typeof ViewSizeSchema>

export const MediaStateSchema = z.object({
  audio: z.boolean(),
  video: z.boolean(),
  screen: z.boolean().default(false),
  /** How large this person shows the other's camera (absent: not known yet, send full size). */
  cameraView: ViewSizeSchema.optional(),
})
export type MediaState = z.infer<typeof MediaStateSchema>

/**
 * One person's own link as their media engine measures it (what they send:
 * the loss and round trip the other side reports back, their bandwidth
 * estimate) and what Duet did about it. Each side sends its own; the server
 * passes it to the other person, so both rooms show both links.
 */
export const LinkReportSchema = z.object({
  quality: z.enum(['good', 'fair', 'poor', 'unknown']),
  /** Loss the other side reports for this person's media, percent. */
  lossPct: z.number().min(0).max(100).nullable(),
  rttMs: z.number().int().min(0).max(60_000).nullable(),
  /** Bandwidth estimate for sending, kbit/s. */
  sendKbps: z.number().int().min(0).max(10_000_000).nullable(),
  /** 'video-lowered': the camera is sent smaller or slower so the voice stays clear. */
  action: z.enum(['none', 'video-lowered']),
})
export type LinkReport = z.infer<typeof LinkReportSchema>

// ---- client -> server ------------------------------------------------------

export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), token: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('signal'), data: SignalDataSchema }),
  z.object({ type: z.literal('media-state'), state: MediaStateSchema }),
  /** This person's own link (see LinkReportSchema), every few seconds during a lesson. */
  z.object({ type: z.literal('link-report'), report: LinkReportSchema }),
  z.object({ type: z.literal('leave') }),
  /** Tutor only: ends the lesson for both. */
  z.object({ type: z.literal('end-lesson') }),
  z.object({ type: z.literal('ping'), t: z.number() }),
  /**
   * Tutor only: switch recording on or off; `storage` says where the tutor's
   * app keeps the file. `failed`: the app could not record (disk full), so
   * recording goes off even where the policy says always.
   */
  z.object({ type: z.literal('recording'), on: z.boolean(), storage: RecordingStorageSchema, failed: z.boolean().optional() }),
  /** The chat (src/shared/chat/schema.ts). */
  ...ChatClientMessages,
])
export type ClientMessage = z.infer<typeof ClientMessageSchema>

// ---- server -> client ------------------------------------------------------

export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    self: ParticipantSchema,
    /** The other person if already connected. */
    peer: ParticipantSchema.nullable(),
    peerMedia: MediaStateSchema.nullable(),
    lesson: LessonInfoSchema,
    iceServers: z.array(IceServerSchema).max(16),
    /** The media engine this lesson runs on (the server's choice); servers before engines were selectable leave it out: 'builtin'. */
    engine: MediaEngineKindSchema.optional(),
    /** 'relay': use only TURN candidates (absent: 'all'). */
    iceTransportPolicy: IceTransportPolicySchema.optional(),
    /** false: the built-in engine runs on plain WebRTC defaults, without its weak-network tuning (absent: true). */
    mediaTuning: z.boolean().optional(),
    /** Whether the lesson is being recorded right now (and the server's policy); servers before recording leave it out. */
    recording: RecordingStateSchema.optional(),
  }),
  z.object({ type: z.literal('peer-joined'), peer: ParticipantSchema, lesson: LessonInfoSchema }),
  z.object({
    type: z.literal('peer-left'),
    peerId: z.string(),
    /** left = pressed Leave; disconnected = connection lost (may come back). */
    reason: z.enum(['left', 'disconnected']),
  }),
  z.object({ type: z.literal('signal'), from: z.string(), data: SignalDataSchema }),
  z.object({ type: z.literal('peer-media-state'), peerId: z.string(), state: MediaStateSchema }),
  /** The other person's own link, as they reported it. */
  z.object({ type: z.literal('peer-link'), peerId: z.string(), report: LinkReportSchema }),
  z.object({ type: z.literal('lesson-ended'), summary: LessonSummarySchema }),
  z.object({ type: z.literal('pong'), t: z.number() }),
  /** Recording switched on or off: sent to both people, so both always see the same. */
  z.object({ type: z.literal('recording-state'), state: RecordingStateSchema }),
  /** Only to the one who asked: why the server did not switch recording. */
  z.object({ type: z.literal('recording-refused'), reason: RecordingRefusalSchema, state: RecordingStateSchema }),
  z.object({
    type: z.literal('error'),
    code: ErrorCodeSchema,
    message: z.string().max(500),
    /** true when the server closes the connection after this message. */
    fatal: z.boolean(),
  }),
  ...ChatServerMessages,
])
export type ServerMessage = z.infer<typeof ServerMessageSchema>

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string }

/** Parses one raw frame; never throws. */
export function parseMessage<T>(schema: z.ZodType<T>, raw: string): ParseResult<T> {
  if (raw.length > MAX_WS_MESSAGE_BYTES) return { ok: false, error: 'message too large' }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    return { ok: false, error: 'not JSON' }
  }
  const result = schema.safeParse(json)
  if (!result.success) {
    const first = result.error.issues[0]
    return { ok: false, error: first ? `${first.path.join('.') || 'message'}: ${first.message}` : 'invalid message' }
  }
  return { ok: true, value: result.data }
}
