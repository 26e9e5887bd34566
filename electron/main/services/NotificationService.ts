import type { NotificationRequest } from '../../../src/shared/notifications'
import type { Logger } from '../../../src/shared/logger'

/** The slice of an Electron Notification the service uses. */
export interface NotificationLike {
  show(): void
  close(): void
  on(event: 'click', listener: () => void): unknown
}

export interface NotificationDeps {
  /** Electron's Notification.isSupported(). */
  isSupported(): boolean
  /** new Notification({ title, body, silent }). */
  create(options: { title: string; body: string; silent: boolean }): NotificationLike
  /** Whether the user is looking at Duet's window right now (then nothing is shown). */
  windowFocused(): boolean
  /** Brings Duet's window to the front (a click on the notification). */
  focusWindow(): void
  logger: Logger
  now?: () => number
}

/** One notification per tag at a time, and at most this often per tag (a burst of messages is one notice). */
const MIN_GAP_MS = 4000

/**
 * OS notifications for the page (a chat message while Duet is in the
 * background): only when the window is not focused, one per tag (a newer one
 * replaces the older), silent (the page plays its own sound), and a click
 * brings the window back.
 */
export class NotificationService {
  private readonly shown = new Map<string, { notification: NotificationLike; at: number }>()

  constructor(private readonly deps: NotificationDeps) {}

  show(request: NotificationRequest): boolean {
    if (this.deps.windowFocused() || !this.deps.isSupported()) return false
    const now = (this.deps.now ?? Date.now)()
    const previous = this.shown.get(request.tag)
    if (previous && now - previous.at < MIN_GAP_MS) return false
    previous?.notification.close()
    try {
      const notification = this.deps.create({ title: request.title, body: request.body, silent: true })
      notification.on('click', () => this.deps.focusWindow())
      notification.show()
      this.shown.set(request.tag, { notification, at: now })
      return true
    } catch (error) {
      this.deps.logger.warn('notification failed:', error)
      return false
    }
  }

  dispose(): void {
    for (const { notification } of this.shown.values()) notification.close()
    this.shown.clear()
  }
}
