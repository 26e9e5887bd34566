import { EVENT_CHANNELS, type EventName, type EventPayload } from '../../../src/shared/ipc'
import type { Logger } from '../../../src/shared/logger'
import { describeZodError } from '../../../src/shared/zodError'

/** The slice of WebContents needed to push an event to the renderer. */
export interface EventTarget {
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
}

/** Sends a main → renderer event after validating it; false if not sent. */
export function sendEvent<E extends EventName>(
  target: EventTarget | null,
  name: E,
  payload: EventPayload<E>,
  logger: Logger,
): boolean {
  const spec = EVENT_CHANNELS[name]
  const parsed = spec.payload.safeParse(payload)
  if (!parsed.success) {
    logger.error('IPC: not sending invalid', name, 'event:', describeZodError(parsed.error))
    return false
  }
  if (!target || target.isDestroyed()) return false
  target.send(spec.channel, parsed.data)
  return true
}
