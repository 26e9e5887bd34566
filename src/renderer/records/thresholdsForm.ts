import { WarningThresholdsSchema, type WarningRule, type WarningThresholds } from '../../shared/students/warnings'

export type ThresholdKey = keyof WarningThresholds

/** The settings screen's sections: each rule of the early-warning table and the numbers that tune it; the school's alert last (staff only). */
export const THRESHOLD_SECTIONS: readonly { rule: WarningRule | 'school'; keys: readonly ThresholdKey[] }[] = [
  { rule: 'inactive', keys: ['inactiveDays'] },
  { rule: 'low_completion', keys: ['completionBelowPercent', 'completionWindowDays', 'completionMinPlanned'] },
  { rule: 'late_homework', keys: ['homeworkLateDays', 'homeworkLateCount', 'homeworkWindowDays'] },
  { rule: 'low_ratings', keys: ['lowRatingStars', 'lowRatingCount', 'ratingWindowDays'] },
  { rule: 'study_time_drop', keys: ['studyDropPercent', 'studyDropWeeks'] },
  { rule: 'school', keys: ['schoolAlertPercent'] },
]

/** The range the server accepts for a threshold, read from its schema (one source for both). */
export function thresholdRange(key: ThresholdKey): { min: number; max: number; whole: boolean } {
  const field = WarningThresholdsSchema.shape[key]
  return { min: field.minValue ?? 0, max: field.maxValue ?? Number.MAX_SAFE_INTEGER, whole: field.isInt }
}

/** The typed value if the server would take it, else null (empty, not a number, out of range, not whole where it must be). */
export function parseThreshold(key: ThresholdKey, raw: string | number): number | null {
  const text = String(raw).trim()
  if (text === '') return null
  const parsed = WarningThresholdsSchema.shape[key].safeParse(Number(text))
  return parsed.success ? parsed.data : null
}

/** What the form changes, field by field (only those sent); null when a field is not valid. */
export function thresholdChanges(draft: Record<ThresholdKey, string | number>, current: WarningThresholds): Partial<WarningThresholds> | null {
  const changes: Partial<WarningThresholds> = {}
  for (const key of Object.keys(current) as ThresholdKey[]) {
    const value = parseThreshold(key, draft[key])
    if (value === null) return null
    if (value !== current[key]) changes[key] = value
  }
  return changes
}
