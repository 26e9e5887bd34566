import { describe, expect, it } from 'vitest'
import {
  INVITE_ALPHABET,
  INVITE_CODE_LENGTH,
  inviteDeepLink,
  inviteUrl,
  normalizeInviteCode,
  parseInvite,
} from '../../../src/shared/lesson/invite'

const CODE = 'K7P2QXMA'

describe('normalizeInviteCode', () => {
  it('drops spaces and dashes and upper-cases', () => {
    expect(normalizeInviteCode(' k7p2-qxma ')).toBe(CODE)
    expect(normalizeInviteCode('k7 p2\tqx-ma')).toBe(CODE)
  })
})

describe('the invite alphabet', () => {
  it('has no look-alike characters', () => {
    for (const ch of ['0', 'O', '1', 'I', 'L']) expect(INVITE_ALPHABET).not.toContain(ch)
    expect(INVITE_CODE_LENGTH).toBe(8)
  })
})

describe('parseInvite: bare codes', () => {
  it.each([
    [CODE],
    ['k7p2qxma'],
    ['K7P2-QXMA'],
    ['k7p2-qxma'],
    ['  K7P2 QXMA  '],
    ['K7-P2-QX-MA'],
    ['\tk7p2 - qxma\n'],
  ])('reads %j as a bare code', (input) => {
    expect(parseInvite(input)).toEqual({ code: CODE, server: null })
  })

  it.each([
    ['K7P2QXM', 'too short'],
    ['K7P2QXMAB', 'too long'],
    ['K7P2QXM0', 'zero'],
    ['K7P2QXMO', 'letter O'],
    ['K7P2QXM1', 'one'],
    ['K7P2QXMI', 'letter I'],
    ['K7P2QXML', 'letter L'],
    ['k7p2qxml', 'lower-case l'],
    ['K7P2_QXMA', 'underscore'],
    ['K7P2.QXMA', 'dot'],
    ['', 'empty'],
    ['   ', 'blank'],
    ['hello world', 'words'],
  ])('rejects %j (%s)', (input) => {
    expect(parseInvite(input)).toBeNull()
  })

  it('rejects input longer than 2048 characters, even if it would be a valid link', () => {
    const long = `https://example.com/${'a'.repeat(2048)}/join/${CODE}`
    expect(long.length).toBeGreaterThan(2048)
    expect(parseInvite(long)).toBeNull()
    // The same link under the limit is fine.
    expect(parseInvite(`https://example.com/${'a'.repeat(100)}/join/${CODE}`)).toEqual({ code: CODE, server: 'https://example.com' })
  })
})

describe('parseInvite: browser links', () => {
  it.each([
    [`https://lessons.school.edu/join/${CODE}`, 'https://lessons.school.edu'],
    [`https://lessons.school.edu/join/${CODE}/`, 'https://lessons.school.edu'],
    [`http://192.168.1.20:47300/join/${CODE}`, 'http://192.168.1.20:47300'],
    [`http://192.168.1.20:47300/join/k7p2-qxma`, 'http://192.168.1.20:47300'],
    [`https://lessons.school.edu/duet/join/${CODE}?utm=mail#top`, 'https://lessons.school.edu'],
    [`  https://LESSONS.school.edu/join/${CODE}  `, 'https://lessons.school.edu'],
    [`http://h/join/K7P2%2DQXMA`, 'http://h'],
  ])('reads %s', (input, server) => {
    expect(parseInvite(input)).toEqual({ code: CODE, server })
  })

  it.each([
    [`https://h/join/`],
    [`https://h/join`],
    [`https://h/${CODE}`],
    [`https://h/join/${CODE}/extra`],
    [`https://h/join/K7P2QXM0`],
    [`https://h/join/K7P2QXMAA`],
    [`https://h/?join=${CODE}`],
  ])('rejects %s', (input) => {
    expect(parseInvite(input)).toBeNull()
  })

  it('returns null (does not throw) on a malformed %-escape', () => {
    expect(() => parseInvite('http://h/join/%E0%A4%A')).not.toThrow()
    expect(parseInvite('http://h/join/%E0%A4%A')).toBeNull()
    expect(parseInvite('https://h/join/%')).toBeNull()
    expect(parseInvite('https://h/join/K7P2%ZZQXMA')).toBeNull()
  })
})

describe('parseInvite: deep links', () => {
  it('reads a deep link without a server', () => {
    expect(parseInvite(`duet://join/${CODE}`)).toEqual({ code: CODE, server: null })
    expect(parseInvite(`duet://join/${CODE}/`)).toEqual({ code: CODE, server: null })
    expect(parseInvite(`duet://join/k7p2-qxma`)).toEqual({ code: CODE, server: null })
  })

  it('reads a deep link with a server and keeps only its origin', () => {
    expect(parseInvite(`duet://join/${CODE}?server=${encodeURIComponent('https://lessons.school.edu')}`)).toEqual({
      code: CODE,
      server: 'https://lessons.school.edu',
    })
    expect(parseInvite(`duet://join/${CODE}?server=http%3A%2F%2F10.0.0.5%3A47300%2Fsome%2Fpath`)).toEqual({
      code: CODE,
      server: 'http://10.0.0.5:47300',
    })
  })

  it.each([
    ['javascript:alert(1)'],
    ['ftp://files.example.com'],
    ['file:///etc/passwd'],
    ['data:text/html,hi'],
    ['not a url'],
    [''],
  ])('rejects the whole link when server=%j is not http(s)', (server) => {
    expect(parseInvite(`duet://join/${CODE}?server=${encodeURIComponent(server)}`)).toBeNull()
  })

  it.each([
    [`duet://join/`],
    [`duet://join/K7P2QXM`],
    [`duet://join/K7P2QXMI`],
    [`duet://lesson/${CODE}`],
    [`duet://join/${CODE}/more`],
    [`duet:join`],
  ])('rejects %s', (input) => {
    expect(parseInvite(input)).toBeNull()
  })

  it('returns null (does not throw) on a malformed %-escape', () => {
    expect(() => parseInvite('duet://join/%E0%A4%A')).not.toThrow()
    expect(parseInvite('duet://join/%E0%A4%A')).toBeNull()
    expect(parseInvite('duet://join/%E0%A4%A?server=http%3A%2F%2Fh')).toBeNull()
  })

  it('rejects other URL schemes', () => {
    expect(parseInvite(`ftp://h/join/${CODE}`)).toBeNull()
    expect(parseInvite(`mailto:${CODE}@example.com`)).toBeNull()
    expect(parseInvite(`javascript:alert('${CODE}')`)).toBeNull()
  })
})

describe('inviteUrl / inviteDeepLink', () => {
  it('builds the links the server hands out', () => {
    expect(inviteUrl('https://lessons.school.edu', CODE)).toBe(`https://lessons.school.edu/join/${CODE}`)
    expect(inviteUrl('https://lessons.school.edu//', CODE)).toBe(`https://lessons.school.edu/join/${CODE}`)
    expect(inviteDeepLink('http://127.0.0.1:47300/', CODE)).toBe(`duet://join/${CODE}?server=http%3A%2F%2F127.0.0.1%3A47300`)
  })

  it.each([['https://lessons.school.edu'], ['http://127.0.0.1:47300'], ['http://192.168.1.20:47300/'], ['http://[::1]:8080']])(
    'round-trips through parseInvite for %s',
    (publicUrl) => {
      const origin = new URL(publicUrl).origin
      expect(parseInvite(inviteUrl(publicUrl, CODE))).toEqual({ code: CODE, server: origin })
      expect(parseInvite(inviteDeepLink(publicUrl, CODE))).toEqual({ code: CODE, server: origin })
    },
  )

  it('round-trips every alphabet character', () => {
    const codes = [INVITE_ALPHABET.slice(0, 8), INVITE_ALPHABET.slice(8, 16), INVITE_ALPHABET.slice(16, 24), INVITE_ALPHABET.slice(23, 31)]
    for (const code of codes) {
      expect(code).toHaveLength(8)
      expect(parseInvite(code)).toEqual({ code, server: null })
      expect(parseInvite(inviteUrl('https://x.test', code))).toEqual({ code, server: 'https://x.test' })
      expect(parseInvite(inviteDeepLink('https://x.test', code))).toEqual({ code, server: 'https://x.test' })
    }
  })
})
