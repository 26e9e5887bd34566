import { z } from 'zod'
import { DisplayNameSchema, RoleSchema } from '../lesson/lesson'
import { MAX_PAGE_HEIGHT, MIN_PAGE_HEIGHT, PAGE_WIDTH } from './limits'

/**
 * Schemas of every value a client reads from the board document, from
 * awareness or from a stateless message. The other side may be a forged
 * client, so nothing is used before it passes these.
 */

export const STROKE_KINDS = ['pen', 'hl', 'line', 'arrow', 'rect', 'ellipse', 'text'] as const
export const StrokeKindSchema = z.enum(STROKE_KINDS)
export type StrokeKind = z.infer<typeof StrokeKindSchema>

/** Freehand kinds keep points; the others keep a two-point geometry. */
export const isFreehand = (kind: StrokeKind): boolean => kind === 'pen' || kind === 'hl'

export const ColorSchema = z.string().regex(/^#[0-9a-f]{6}$/i)
/** 64 hex characters: the SHA-256 of an uploaded file. */
export const AssetIdSchema = z.string().regex(/^[0-9a-f]{64}$/)
export const ElementIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,40}$/)

/** Attributes fixed when a stroke is created (key `a` of its map). */
export const StrokeAttrsSchema = z.object({
  t: StrokeKindSchema,
  c: ColorSchema,
  /** Line width in board units; the font size for text. */
  w: z.number().min(0.5).max(160),
  /** Participant id of the author (the token's subject). */
  by: z.string().min(1).max(64),
  /** Stacking order on its page; equal values are ordered by stroke id. */
  z: z.number().finite(),
})
export type StrokeAttrs = z.infer<typeof StrokeAttrsSchema>

export const BackgroundSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('blank') }),
  z.object({ kind: z.literal('grid') }),
  z.object({ kind: z.literal('image'), asset: AssetIdSchema }),
  z.object({ kind: z.literal('pdf'), asset: AssetIdSchema, page: z.number().int().min(1).max(100_000) }),
])
export type Background = z.infer<typeof BackgroundSchema>

/** Attributes of a page (key `a` of its map). */
export const PageAttrsSchema = z.object({
  bg: BackgroundSchema,
  w: z.literal(PAGE_WIDTH),
  h: z.number().min(MIN_PAGE_HEIGHT).max(MAX_PAGE_HEIGHT),
})
export type PageAttrs = z.infer<typeof PageAttrsSchema>

/** A two-point geometry [x1, y1, x2, y2] or a text anchor [x, y]. */
export const GeometrySchema = z.union([z.tuple([z.number(), z.number(), z.number(), z.number()]), z.tuple([z.number(), z.number()])])
export const OffsetSchema = z.tuple([z.number().finite(), z.number().finite()])

// ---- stateless messages (Hocuspocus) ---------------------------------------

/** Client → server. Only the tutor may lock; the server checks the role. */
export const BoardClientMessageSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('set-lock'), locked: z.boolean() })])
export type BoardClientMessage = z.infer<typeof BoardClientMessageSchema>

export const BOARD_REJECT_REASONS = ['too_large', 'bad_update', 'too_many_pages', 'board_full', 'forbidden'] as const
export const BoardRejectReasonSchema = z.enum(BOARD_REJECT_REASONS)
export type BoardRejectReason = z.infer<typeof BoardRejectReasonSchema>

/** Server → client. */
export const BoardServerMessageSchema = z.discriminatedUnion('type', [
  /** Board state held by the server (not the CRDT): is the student's board view-only? */
  z.object({ type: z.literal('board-state'), locked: z.boolean() }),
  /** The server refused something this client sent; the connection closes after it. */
  z.object({ type: z.literal('rejected'), reason: BoardRejectReasonSchema }),
])
export type BoardServerMessage = z.infer<typeof BoardServerMessageSchema>

export function parseStateless<T>(schema: z.ZodType<T>, payload: string): T | null {
  if (payload.length > 4096) return null
  try {
    const parsed = schema.safeParse(JSON.parse(payload))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

// ---- awareness ---------------------------------------------------------------

const Coord = z.number().finite().min(-100_000).max(100_000)

export const AwarenessStateSchema = z.object({
  user: z.object({ id: z.string().min(1).max(64), name: DisplayNameSchema, role: RoleSchema, color: ColorSchema }),
  /** Pointer position on a page, or null when off the board. */
  cursor: z.object({ page: ElementIdSchema, x: Coord, y: Coord }).nullable().optional(),
  /** Laser trail: flat [x, y, ageMs, ...]; ages are relative to when the state was sent, so clocks are never compared. */
  laser: z.object({ page: ElementIdSchema, pts: z.array(Coord).max(600) }).nullable().optional(),
  /** The part of a page this person sees (board units), for follow mode. */
  view: z
    .object({ page: ElementIdSchema, x: Coord, y: Coord, w: z.number().positive().max(100_000), h: z.number().positive().max(100_000) })
    .nullable()
    .optional(),
})
export type AwarenessState = z.infer<typeof AwarenessStateSchema>
