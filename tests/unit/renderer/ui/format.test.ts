import { describe, expect, it } from 'vitest'
import { formatDuration } from '../../../../src/renderer/ui/format'

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
