import type { AiLessonRecord } from './store'

/** Server-local calendar day, "2030-01-31": schools count "per day" in their own time zone. */
export function dayKey(now: number): string {
  const d = new Date(now)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** Next local midnight (epoch ms), when the count starts again. */
export function nextMidnight(now: number): number {
  const d = new Date(now)
  d.setHours(24, 0, 0, 0)
  return d.getTime()
}

export interface QuotaView {
  used: number
  limit: number
  resetsAt: number
}

/** The student's questions today (a new day reads as zero). */
export function quotaOf(record: AiLessonRecord, limit: number, now: number): QuotaView {
  const used = record.usage.day === dayKey(now) ? record.usage.studentQuestions : 0
  return { used, limit, resetsAt: nextMidnight(now) }
}

/**
 * Counts one student question if the limit allows, else says how long until
 * it resets. Students have no accounts, so the count is per lesson (one
 * student per lesson), which a rejoin cannot reset.
 */
export function takeQuestion(record: AiLessonRecord, limit: number, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
  const today = dayKey(now)
  if (record.usage.day !== today) record.usage = { day: today, studentQuestions: 0 }
  if (record.usage.studentQuestions >= limit) {
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((nextMidnight(now) - now) / 1000)) }
  }
  record.usage.studentQuestions++
  return { ok: true }
}

/** Gives a question back when the provider failed before answering anything. */
export function refundQuestion(record: AiLessonRecord, now: number): void {
  if (record.usage.day === dayKey(now) && record.usage.studentQuestions > 0) record.usage.studentQuestions--
}

/**
 * Questions per network address per day, kept in memory (a restart forgets
 * them, as it forgets rate limits). At most `maxKeys` addresses, oldest first out.
 */
export class AddressQuota {
  private readonly counts = new Map<string, { day: string; used: number }>()

  constructor(
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  take(address: string, limit: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now()
    const today = dayKey(now)
    const entry = this.counts.get(address)
    const count = entry && entry.day === today ? entry : { day: today, used: 0 }
    this.counts.delete(address)
    this.counts.set(address, count)
    if (this.counts.size > this.maxKeys) {
      const oldest = this.counts.keys().next().value
      if (oldest !== undefined) this.counts.delete(oldest)
    }
    if (count.used >= limit) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((nextMidnight(now) - now) / 1000)) }
    count.used++
    return { ok: true }
  }
}
