import { describe, expect, it } from 'vitest'
import { formatClock, formatDuration } from '../../../../src/renderer/ui/format'

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [1000, '0:01'],
    [59_999, '0:59'],
    [60_000, '1:00'],
    [75_000, '1:15'],
    [605_000, '10:05'],
    [3_599_999, '59:59'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
    [36_000_000 + 59_000, '10:00:59'],
    [100 * 3_600_000, '100:00:00'],
    [-5000, '0:00'],
  ])('%d ms -> %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected)
  })
})

describe('formatClock', () => {
  it.each(['en', 'zh-CN'])('writes hours and minutes as %s does, with a kept formatter', (locale) => {
    const at = Date.UTC(2026, 11, 6, 14, 5)
    const expected = new Date(at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    expect(formatClock(at, locale)).toBe(expected)
    expect(formatClock(at + 60_000, locale)).toBe(new Date(at + 60_000).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }))
  })

  it('keeps languages apart', () => {
    const at = Date.UTC(2026, 11, 6, 14, 5)
    expect(formatClock(at, 'zh-CN')).not.toBe(formatClock(at, 'en'))
  })
})
