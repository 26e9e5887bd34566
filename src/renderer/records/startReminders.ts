import type { Reminder } from '../../shared/students/reminders'
import type { Host } from '../host/Host'
import { i18n } from '../i18n'
import { formatClock } from '../ui/format'
import { keptCodes } from './myCodes'
import { MyRecordApi } from './recordsApi'
import { StudentReminders } from './studentReminders'

/** A reminder's words in the app's language (plain text: the OS shows it). */
function notice(reminder: Reminder): { title: string; body: string } {
  const t = i18n.global.t
  const values = { tutor: reminder.tutorName, time: formatClock(reminder.about, i18n.global.locale.value) }
  return { title: t(`records.reminders.${reminder.kind}Title`, values).slice(0, 120), body: t(`records.reminders.${reminder.kind}Body`, values).slice(0, 300) }
}

/**
 * On a student's device (one that keeps a personal link): reminders before
 * planned lessons and after a quiet week, as OS notifications through the
 * host (desktop: the main process; a browser: its notifications where the
 * site is allowed them, else nothing). A device that keeps no link reads
 * nothing (it looks again every half hour: a link opened since counts).
 */
export function startStudentReminders(host: Host): StudentReminders {
  const reminders = new StudentReminders({
    now: Date.now,
    setTimer: (run, ms) => setTimeout(run, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    records: async () => {
      const read = await Promise.allSettled(keptCodes().map((kept) => new MyRecordApi(kept.server, kept.code).record()))
      return read.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    },
    show: (reminder) => host.notifications.show({ ...notice(reminder), tag: `reminder-${reminder.kind}` }),
    storage: localStorage,
  })
  reminders.start()
  return reminders
}
