/**
 * One HTTP byte range ("bytes=100-", "bytes=100-199", "bytes=-500") as an
 * inclusive range inside a file of `size` bytes. 'all' = no (usable) Range
 * header, send the whole file; null = unsatisfiable (416).
 */
export function parseRange(header: string | null | undefined, size: number): { start: number; end: number } | null | 'all' {
  if (!header) return 'all'
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return 'all' // several ranges or junk: the whole file is a valid answer
  let start: number
  let end: number
  if (m[1] === '') {
    const suffix = Number(m[2])
    if (suffix === 0) return null
    start = Math.max(0, size - suffix)
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  }
  if (start >= size || start > end) return null
  return { start, end }
}
