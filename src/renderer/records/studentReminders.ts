import type { MyRecord } from '../../shared/students/record'
import { remindersFor, type Reminder } from '../../shared/students/reminders'

/** Records are read again this often (a rescheduled lesson, new study), and reminders due before the next read are timed. */
export const REMINDER_REFRESH_MS = 30 * 60_000
const SHOWN_KEY = 'duet.remindersShown'
const SHOWN_KEPT = 50

export interface StudentRemindersDeps {
  now(): number
  setTimer(run: () => void, ms: number): unknown
  clearTimer(handle: unknown): void
  /** The records of the personal links this device keeps (a link that fails is left out). */
  records(): Promise<MyRecord[]>
  /** Shows one reminder (an OS notification through the host). */
  show(reminder: Reminder): Promise<unknown>
  /** Where the reminders already shown are kept, so a restart does not show them again. */
  storage: Pick<Storage, 'getItem' | 'setItem'>
}

/**
 * Reminders to a student on their own device, from the records of the
 * personal links it keeps: before each planned lesson and after a week
 * without study. Each occasion is shown once (kept across restarts); the
 * records are read again every half hour, so a moved lesson moves its
 * reminder.
 */
export class StudentReminders {
  private readonly timers = new Map<string, unknown>()
  private refreshTimer: unknown = null
  private stopped = false

  constructor(private readonly deps: StudentRemindersDeps) {}

  start(): void {
    this.stopped = false
    void this.refresh()
  }

  stop(): void {
    this.stopped = true
    for (const handle of this.timers.values()) this.deps.clearTimer(handle)
    this.timers.clear()
    if (this.refreshTimer !== null) this.deps.clearTimer(this.refreshTimer)
    this.refreshTimer = null
  }

  /** Reads the records and times the reminders due before the next read (those already due are shown now). */
  async refresh(): Promise<void> {
    let records: MyRecord[] = []
    try {
      records = await this.deps.records()
    } catch {
      // Offline: try again at the next read.
    }
    if (this.stopped) return
    for (const handle of this.timers.values()) this.deps.clearTimer(handle)
    this.timers.clear()
    const now = this.deps.now()
    const shown = this.shown()
    for (const reminder of records.flatMap((record) => remindersFor(record, now))) {
      if (shown.includes(reminder.id) || reminder.at - now > REMINDER_REFRESH_MS + 60_000) continue
      this.timers.set(reminder.id, this.deps.setTimer(() => void this.fire(reminder), Math.max(0, reminder.at - now)))
    }
    if (this.refreshTimer !== null) this.deps.clearTimer(this.refreshTimer)
    this.refreshTimer = this.deps.setTimer(() => void this.refresh(), REMINDER_REFRESH_MS)
  }

  private async fire(reminder: Reminder): Promise<void> {
    this.timers.delete(reminder.id)
    if (this.stopped || this.shown().includes(reminder.id)) return
    this.remember(reminder.id)
    await this.deps.show(reminder).catch(() => undefined)
  }

  private shown(): string[] {
    try {
      const list: unknown = JSON.parse(this.deps.storage.getItem(SHOWN_KEY) ?? '[]')
      return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : []
    } catch {
      return []
    }
  }

  private remember(id: string): void {
    try {
      this.deps.storage.setItem(SHOWN_KEY, JSON.stringify([id, ...this.shown()].slice(0, SHOWN_KEPT)))
    } catch {
      // Storage off: the reminder may show again after a restart.
    }
  }
}
