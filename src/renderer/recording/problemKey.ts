/** 'record-missing' -> 'recordMissing': problem codes as i18n keys. */
export function codeKey(code: string): string {
  return code.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
}
