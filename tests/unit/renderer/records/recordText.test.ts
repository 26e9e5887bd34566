import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from '../../../../src/renderer/i18n/en'
import zhCN from '../../../../src/renderer/i18n/zh-CN'
import { actionText, attendedText, evidenceText, planText } from '../../../../src/renderer/records/recordText'

function translator(locale: 'en' | 'zh-CN') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zhCN } })
  return (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})
}
const t = translator('en')
const at = Date.UTC(2030, 0, 7, 17, 0)

describe('a flag’s evidence in a sentence the tutor can check', () => {
  it('inactive: days, the last lesson and the plan', () => {
    expect(evidenceText(t, { rule: 'inactive', days: 9, lastLessonAt: null, lastPracticeAt: null, plannedPerWeek: 2 }, 'en')).toBe('No lesson or practice for 9 days; last lesson never; planned 2/week.')
    expect(evidenceText(translator('zh-CN'), { rule: 'inactive', days: 9, lastLessonAt: null, lastPracticeAt: null, plannedPerWeek: 2 }, 'zh-CN')).toBe('已 9 天没有上课或练习；上次课程 从未；计划每周 2 次。')
  })
  it('completion, late homework, low ratings and the weekly minutes', () => {
    expect(evidenceText(t, { rule: 'low_completion', attended: 1, planned: 8, percent: 12.5, windowDays: 28 }, 'en')).toBe('Attended 1 of 8 planned lessons (12.5 %) in the last 28 days.')
    expect(
      evidenceText(t, { rule: 'late_homework', items: [{ title: 'p. 12', dueAt: at, daysLate: 4.6, missing: false }, { title: 'p. 14', dueAt: at, daysLate: 5, missing: true }] }, 'en'),
    ).toBe('Homework more than a few days late 2 times: “p. 12” 4 days late; “p. 14” missing for 5 days.')
    expect(evidenceText(t, { rule: 'low_ratings', items: [{ stars: 1, word: 'boring', at }] }, 'en')).toMatch(/^1 low ratings: 1\/5 “boring” \(.+\)\.$/)
    expect(evidenceText(t, { rule: 'study_time_drop', weeks: [{ weekStart: at, minutes: 120 }, { weekStart: at, minutes: 50.4 }, { weekStart: at, minutes: 20 }] }, 'en')).toBe(
      'Study minutes per week: 120 → 50 → 20.',
    )
  })
})

describe('lessons attended against planned', () => {
  it('says a lesson before the plan’s first one sensibly, never “1 of 0 planned” nor “0 of 0 planned”', () => {
    expect(attendedText(t, { attended: 3, planned: 4 })).toBe('3 of 4 planned')
    expect(attendedText(t, { attended: 0, planned: 0 })).toBe('None yet')
    expect(attendedText(t, { attended: 0, planned: 2 })).toBe('0 of 2 planned')
    expect(attendedText(t, { attended: 1, planned: 0 })).toBe('1 · none due by the plan yet')
    expect(attendedText(t, { attended: 5, planned: 4 })).toBe('5 · 4 planned and 1 extra')
    expect(attendedText(translator('zh-CN'), { attended: 1, planned: 0 })).toBe('出勤 1 节 · 计划中的课尚未开始')
  })
})

describe('plans and actions', () => {
  it('a weekly plan in the user’s language, or none', () => {
    expect(planText(t, { days: [2, 4], time: '17:00', minutes: 60, timeZone: 'UTC' }, 'en')).toBe('Tue and Thu 17:00, 60 min')
    expect(planText(translator('zh-CN'), { days: [1, 3, 5], time: '09:30', minutes: 45, timeZone: 'UTC' }, 'zh-CN')).toBe('周一、周三和周五 09:30，45 分钟')
    expect(planText(t, null, 'en')).toBe('No fixed plan')
  })
  it('what the tutor did, as the record lists it', () => {
    const base = { id: 'a', studentId: 's', flagId: null, at, by: 'Ms Li', until: null }
    expect(actionText(t, { ...base, kind: 'message', text: 'We miss you' }, 'en')).toBe('Message: “We miss you”')
    expect(actionText(t, { ...base, kind: 'dismiss', text: '' }, 'en')).toBe('Dismissed')
  })
})
