import { z } from 'zod'

/**
 * An operating-system notification the page asks for (a chat message that
 * arrived while Duet was in the background). Plain text only: the OS shows it
 * outside the page, where nothing of ours sanitizes.
 */
export const NotificationRequestSchema = z.object({
  title: z.string().trim().min(1).max(120),
  body: z.string().max(300),
  /** Notifications with the same tag replace each other (one per conversation, not a pile). */
  tag: z.string().regex(/^[a-z0-9:-]{1,80}$/),
})
export type NotificationRequest = z.infer<typeof NotificationRequestSchema>
