import { describe, expect, it, vi } from 'vitest'
import { NotificationService, type NotificationLike } from '../../../../../electron/main/services/NotificationService'
import { NotificationRequestSchema } from '../../../../../src/shared/notifications'

function setup(focused = false) {
  let now = 1_000_000
  const made: { options: { title: string; body: string; silent: boolean }; notification: NotificationLike & { clicks: (() => void)[] } }[] = []
  const focusWindow = vi.fn()
  const state = { focused }
  const service = new NotificationService({
    isSupported: () => true,
    create: (options) => {
      const clicks: (() => void)[] = []
      const notification = { show: vi.fn(), close: vi.fn(), on: (_e: 'click', l: () => void) => clicks.push(l), clicks }
      made.push({ options, notification })
      return notification
    },
    windowFocused: () => state.focused,
    focusWindow,
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    now: () => now,
  })
  return { service, made, focusWindow, state, advance: (ms: number) => (now += ms) }
}

const request = { title: 'Message from Wei', body: 'Is it 5/6?', tag: 'chat-lesson' }

describe('NotificationService', () => {
  it('shows a silent notification while the window is in the background; a click brings the window back', () => {
    const { service, made, focusWindow } = setup()
    expect(service.show(request)).toBe(true)
    expect(made[0]?.options).toEqual({ title: 'Message from Wei', body: 'Is it 5/6?', silent: true })
    expect(made[0]?.notification.show).toHaveBeenCalled()
    made[0]?.notification.clicks[0]?.()
    expect(focusWindow).toHaveBeenCalled()
  })

  it('shows nothing while the person is looking at Duet', () => {
    const { service, made } = setup(true)
    expect(service.show(request)).toBe(false)
    expect(made).toHaveLength(0)
  })

  it('makes a burst one notification, and a later one replaces the earlier', () => {
    const { service, made, advance } = setup()
    service.show(request)
    expect(service.show({ ...request, body: 'second' })).toBe(false)
    advance(5000)
    expect(service.show({ ...request, body: 'third' })).toBe(true)
    expect(made[0]?.notification.close).toHaveBeenCalled()
    // Another conversation is its own.
    expect(service.show({ ...request, tag: 'chat-other' })).toBe(true)
  })

  it('is fed only validated requests (the IPC schema refuses markup-sized or odd input)', () => {
    expect(NotificationRequestSchema.safeParse({ ...request, title: '' }).success).toBe(false)
    expect(NotificationRequestSchema.safeParse({ ...request, body: 'x'.repeat(301) }).success).toBe(false)
    expect(NotificationRequestSchema.safeParse({ ...request, tag: '../x' }).success).toBe(false)
  })
})
