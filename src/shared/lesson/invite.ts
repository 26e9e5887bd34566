import { z } from 'zod'

/**
 * Invite codes: 8 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L), easy to read aloud or type from a phone screen.
 */
export const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const INVITE_CODE_LENGTH = 8
export const InviteCodeSchema = z.string().regex(new RegExp(`^[${INVITE_ALPHABET}]{${INVITE_CODE_LENGTH}}$`))

export interface ParsedInvite {
  code: string
  /** Session server origin named by the link, or null for a bare code. */
  server: string | null
}

/** Upper-cases and drops spaces and dashes people add when typing a code. */
export function normalizeInviteCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase()
}

/** decodeURIComponent that yields '' (never a valid code) instead of throwing URIError on a bad %-escape. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return ''
  }
}

function httpOrigin(raw: string | null): string | null {
  if (!raw) return null
  try {
    const url = new URL(raw)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null
  } catch {
    return null
  }
}

/**
 * Reads what a student pastes or clicks: a bare code ("K7P2-QXMA"), a browser
 * link (http(s)://host/join/CODE) or a deep link (duet://join/CODE?server=...).
 * Returns null when it is none of these.
 */
export function parseInvite(input: string): ParsedInvite | null {
  const text = input.trim()
  if (text.length === 0 || text.length > 2048) return null
  const bare = normalizeInviteCode(text)
  if (InviteCodeSchema.safeParse(bare).success) return { code: bare, server: null }

  let url: URL
  try {
    url = new URL(text)
  } catch {
    return null
  }
  if (url.protocol === 'duet:') {
    // duet://join/CODE parses with host "join" in WHATWG URL rules.
    const path = `${url.host}${url.pathname}`.replace(/^\/+/, '')
    const match = /^join\/([^/]+)\/?$/.exec(path)
    const code = match ? normalizeInviteCode(decodeSegment(match[1] ?? '')) : ''
    if (!InviteCodeSchema.safeParse(code).success) return null
    const serverParam = url.searchParams.get('server')
    const server = httpOrigin(serverParam)
    if (serverParam !== null && server === null) return null
    return { code, server }
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    const match = /\/join\/([^/]+)\/?$/.exec(url.pathname)
    const code = match ? normalizeInviteCode(decodeSegment(match[1] ?? '')) : ''
    if (!InviteCodeSchema.safeParse(code).success) return null
    return { code, server: url.origin }
  }
  return null
}

export function inviteUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/join/${code}`
}

export function inviteDeepLink(publicUrl: string, code: string): string {
  return `duet://join/${code}?server=${encodeURIComponent(publicUrl.replace(/\/+$/, ''))}`
}
