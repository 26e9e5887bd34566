import { z } from 'zod'
import { INVITE_ALPHABET } from '../lesson/invite'

/**
 * A student's standing personal code: 12 characters from the invite
 * alphabet (no look-alikes), shown as XXXX-XXXX-XXXX. Longer than a one-off
 * invite because it lasts for months and opens the student's own record.
 */
export const STUDENT_CODE_LENGTH = 12
export const StudentCodeSchema = z.string().regex(new RegExp(`^[${INVITE_ALPHABET}]{${STUDENT_CODE_LENGTH}}$`))

/** Upper-cases and drops the spaces and dashes people add. */
export function normalizeStudentCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase()
}

/** "K7P2QXMAH3JD" -> "K7P2-QXMA-H3JD" */
export function formatStudentCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code
}

/** The browser link a student keeps: <publicUrl>/me/<code>. */
export function studentLinkUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/me/${code}`
}

export interface ParsedStudentLink {
  code: string
  /** Session server origin named by the link, or null for a bare code. */
  server: string | null
}

/** A personal code as typed ("K7P2-QXMA-H3JD") or a personal link (http(s)://host/me/CODE); null when it is neither. */
export function parseStudentLink(input: string): ParsedStudentLink | null {
  const text = input.trim()
  if (text.length === 0 || text.length > 2048) return null
  const bare = normalizeStudentCode(text)
  if (StudentCodeSchema.safeParse(bare).success) return { code: bare, server: null }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  const match = /\/me\/([^/]+)\/?$/.exec(url.pathname)
  let segment = ''
  try {
    segment = decodeURIComponent(match?.[1] ?? '')
  } catch {
    return null
  }
  const code = normalizeStudentCode(segment)
  return StudentCodeSchema.safeParse(code).success ? { code, server: url.origin } : null
}
