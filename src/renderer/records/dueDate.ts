/** A week from now, at the same time of day, as <input type="datetime-local"> wants it (local time). */
export function weekFromNow(now = Date.now()): string {
  const due = new Date(now + 7 * 86_400_000)
  due.setMinutes(due.getMinutes() - due.getTimezoneOffset())
  return due.toISOString().slice(0, 16)
}
