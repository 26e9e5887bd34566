import { describe, expect, it } from 'vitest'
import { DEFAULT_THRESHOLDS, WarningThresholdsSchema } from '../../../../src/shared/students/warnings'
import { THRESHOLD_SECTIONS, parseThreshold, thresholdChanges, thresholdRange } from '../../../../src/renderer/records/thresholdsForm'

describe('the thresholds form', () => {
  it('has every threshold the server knows, once', () => {
    const keys = THRESHOLD_SECTIONS.flatMap((s) => s.keys)
    expect([...keys].sort()).toEqual(Object.keys(WarningThresholdsSchema.shape).sort())
  })

  it('reads each range from the server’s schema', () => {
    expect(thresholdRange('inactiveDays')).toEqual({ min: 1, max: 90, whole: true })
    expect(thresholdRange('completionBelowPercent')).toEqual({ min: 1, max: 100, whole: false })
  })

  it('takes what the server would take, and nothing else', () => {
    expect(parseThreshold('inactiveDays', '14')).toBe(14)
    expect(parseThreshold('inactiveDays', 90)).toBe(90)
    for (const bad of ['', '  ', '0', '91', '2.5', 'abc']) expect(parseThreshold('inactiveDays', bad)).toBeNull()
    expect(parseThreshold('completionBelowPercent', '12.5')).toBe(12.5)
    expect(parseThreshold('homeworkLateDays', '0')).toBe(0)
  })

  it('sends only the fields changed, and nothing while one is not valid', () => {
    const draft = { ...DEFAULT_THRESHOLDS, inactiveDays: '3', lowRatingStars: 2 }
    expect(thresholdChanges(draft, DEFAULT_THRESHOLDS)).toEqual({ inactiveDays: 3 })
    expect(thresholdChanges({ ...DEFAULT_THRESHOLDS }, DEFAULT_THRESHOLDS)).toEqual({})
    expect(thresholdChanges({ ...draft, studyDropWeeks: '9' }, DEFAULT_THRESHOLDS)).toBeNull()
  })
})
