export interface DeviceEntry {
  id: string
  label: string
}

/**
 * Which device to use when the one in use went away: the user's remembered
 * choice if it is still there, else the first remaining device. The lost
 * device may still be listed for a moment after it is unplugged, so it is
 * skipped by label as well as by id.
 */
export function pickFallbackDevice(available: DeviceEntry[], lost: { id: string | null; label: string }, remembered: string | null): DeviceEntry | null {
  const candidates = available.filter((d) => d.id !== lost.id && (lost.label === '' || d.label !== lost.label))
  return candidates.find((d) => d.id === remembered) ?? candidates[0] ?? null
}

/** Devices present now that were not there before (a headset plugged in). */
export function newDevices(before: DeviceEntry[], now: DeviceEntry[]): DeviceEntry[] {
  const known = new Set(before.map((d) => d.id))
  return now.filter((d) => !known.has(d.id))
}
