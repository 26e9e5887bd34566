import { describe, expect, it, vi } from 'vitest'
import { DeepLinkService, parseDeepLink } from '../../../../../electron/main/services/DeepLinkService'
import type { ParsedInvite } from '../../../../../src/shared/lesson/invite'
import { fakeLogger } from '../../fakes'

const LINK = 'duet://join/K7P2QXMA?server=https%3A%2F%2Fschool.example'
const INVITE: ParsedInvite = { code: 'K7P2QXMA', server: 'https://school.example' }

function setup(deliverOk = true) {
  const delivered: ParsedInvite[] = []
  const deliver = vi.fn((invite: ParsedInvite) => {
    if (deliverOk) delivered.push(invite)
    return deliverOk
  })
  const focusWindow = vi.fn()
  const logger = fakeLogger()
  return { service: new DeepLinkService({ deliver, focusWindow, logger }), deliver, delivered, focusWindow, logger }
}

describe('parseDeepLink', () => {
  it('reads duet://join/<code> with an optional http(s) server', () => {
    expect(parseDeepLink(LINK)).toEqual(INVITE)
    expect(parseDeepLink('duet://join/k7p2-qxma')).toEqual({ code: 'K7P2QXMA', server: null })
    expect(parseDeepLink('DUET://join/K7P2QXMA/')).toEqual({ code: 'K7P2QXMA', server: null })
  })

  it('refuses everything that is not a valid duet:// invite', () => {
    for (const bad of [
      'K7P2QXMA', // bare codes come from typing, not from the OS
      'https://school.example/join/K7P2QXMA',
      'duet://join/K7P2QXM0',
      'duet://join/K7P2QXMA?server=file%3A%2F%2F%2Fetc',
      'duet://join/K7P2QXMA?server=javascript%3Aalert(1)',
      'duet://settings/reset',
      'duet://join/%E0%A4%A',
      `duet://join/K7P2QXMA?server=https://${'a'.repeat(3000)}.example`,
      '',
    ]) {
      expect(parseDeepLink(bad), bad).toBeNull()
    }
  })
})

describe('DeepLinkService', () => {
  it('queues invites until the renderer is ready, then hands them over once', () => {
    const { service, deliver } = setup()
    expect(service.handleArgv(['/opt/Duet/duet', '--no-sandbox', LINK])).toBe(1)
    expect(deliver).not.toHaveBeenCalled()
    expect(service.rendererReady()).toEqual([INVITE])
    expect(service.rendererReady()).toEqual([])
  })

  it('delivers directly once the renderer is ready', () => {
    const { service, delivered } = setup()
    service.rendererReady()
    service.handleUrl(LINK)
    expect(delivered).toEqual([INVITE])
    expect(service.pending).toEqual([])
  })

  it('keeps the invite queued when delivery fails (no window)', () => {
    const { service } = setup(false)
    service.rendererReady()
    service.handleUrl(LINK)
    expect(service.pending).toEqual([INVITE])
  })

  it('queues again after the page reloads or crashes', () => {
    const { service, deliver } = setup()
    service.rendererReady()
    service.rendererGone()
    service.handleUrl(LINK)
    expect(deliver).not.toHaveBeenCalled()
    expect(service.rendererReady()).toEqual([INVITE])
  })

  it('second-instance: focuses the window and takes the link from its argv', () => {
    const { service, focusWindow } = setup()
    service.handleSecondInstance(['C:\\Program Files\\Duet\\Duet.exe', '--allow-file-access-from-files', LINK])
    expect(focusWindow).toHaveBeenCalledTimes(1)
    expect(service.pending).toEqual([INVITE])
    service.handleSecondInstance(['C:\\Program Files\\Duet\\Duet.exe'])
    expect(focusWindow).toHaveBeenCalledTimes(2)
    expect(service.pending).toHaveLength(1)
  })

  it('open-url (macOS): focuses and queues', () => {
    const { service, focusWindow } = setup()
    service.handleOpenUrl('duet://join/ABCDEFGH')
    expect(focusWindow).toHaveBeenCalled()
    expect(service.pending).toEqual([{ code: 'ABCDEFGH', server: null }])
  })

  it('ignores and logs invalid links, ignores non-link arguments', () => {
    const { service, logger } = setup()
    expect(service.handleArgv(['electron', '.', '--inspect', 'K7P2QXMA', 'https://evil.example/join/K7P2QXMA'])).toBe(0)
    expect(logger.warn).not.toHaveBeenCalled()
    expect(service.handleArgv(['duet://join/nope'])).toBe(0)
    expect(logger.warn).toHaveBeenCalledTimes(1)
    expect(service.pending).toEqual([])
  })

  it('deduplicates repeated clicks and keeps at most 10 queued', () => {
    const { service } = setup()
    service.handleUrl(LINK)
    service.handleUrl(LINK)
    expect(service.pending).toHaveLength(1)
    const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
    for (let i = 0; i < 12; i++) service.handleUrl(`duet://join/AAAAAAA${alphabet[i]}`)
    expect(service.pending).toHaveLength(10)
    expect(service.pending.at(-1)?.code).toBe(`AAAAAAA${alphabet[11]}`)
  })
})
