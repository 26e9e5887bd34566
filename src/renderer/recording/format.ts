/** 1536 -> "1.5 KB", 3_200_000_000 -> "3.0 GB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—'
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit += 1
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** 'record-missing' -> 'recordMissing': problem codes as i18n keys. */
export function codeKey(code: string): string {
  return code.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
}
