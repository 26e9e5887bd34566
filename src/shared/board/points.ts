import { MAX_STROKE_POINTS } from './limits'

/**
 * Stroke points. While a stroke is drawn its points stream into a Y.Array of
 * small integers ([qx, qy, qp, ...]); at pen-up they are packed into one
 * binary value (delta + zigzag varints), about a third of the size, and the
 * array is deleted (Yjs garbage-collects it). Both forms decode to the same
 * points.
 */

/** Sub-unit precision: coordinates are stored in quarter board units. */
export const COORD_SCALE = 4
/** Pressure is stored as 0..127 so it always fits in one varint byte. */
export const PRESSURE_SCALE = 127
const FORMAT_VERSION = 1

export function quantize(x: number, y: number, pressure: number): [number, number, number] {
  const p = Number.isFinite(pressure) ? Math.min(1, Math.max(0, pressure)) : 0.5
  return [Math.round(x * COORD_SCALE), Math.round(y * COORD_SCALE), Math.round(p * PRESSURE_SCALE)]
}

function writeVarUint(out: number[], value: number): void {
  let v = value >>> 0
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80)
    v >>>= 7
  }
  out.push(v)
}

const zigzag = (n: number): number => (n << 1) ^ (n >> 31)
const unzigzag = (n: number): number => (n >>> 1) ^ -(n & 1)

/** Packs quantized points ([qx, qy, qp, ...]) into bytes. */
export function encodePoints(ints: ArrayLike<number>): Uint8Array {
  const count = Math.min(MAX_STROKE_POINTS, Math.floor(ints.length / 3))
  const out: number[] = [FORMAT_VERSION]
  writeVarUint(out, count)
  let px = 0
  let py = 0
  for (let i = 0; i < count; i++) {
    const x = (ints[i * 3] ?? 0) | 0
    const y = (ints[i * 3 + 1] ?? 0) | 0
    writeVarUint(out, zigzag(x - px))
    writeVarUint(out, zigzag(y - py))
    writeVarUint(out, Math.min(PRESSURE_SCALE, Math.max(0, (ints[i * 3 + 2] ?? 0) | 0)))
    px = x
    py = y
  }
  return Uint8Array.from(out)
}

/** Unpacks bytes written by encodePoints; null when they are not well formed. */
export function decodePoints(bytes: Uint8Array): Int32Array | null {
  let pos = 0
  const readVarUint = (): number | null => {
    let result = 0
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= bytes.length) return null
      const b = bytes[pos++] as number
      result |= (b & 0x7f) << shift
      if (b < 0x80) return result >>> 0
    }
    return null
  }
  if (bytes[pos++] !== FORMAT_VERSION) return null
  const count = readVarUint()
  if (count === null || count > MAX_STROKE_POINTS) return null
  const out = new Int32Array(count * 3)
  let x = 0
  let y = 0
  for (let i = 0; i < count; i++) {
    const dx = readVarUint()
    const dy = readVarUint()
    const p = readVarUint()
    if (dx === null || dy === null || p === null || p > PRESSURE_SCALE) return null
    x += unzigzag(dx)
    y += unzigzag(dy)
    out[i * 3] = x
    out[i * 3 + 1] = y
    out[i * 3 + 2] = p
  }
  return pos === bytes.length ? out : null
}

/** Quantized ints → [x, y, pressure 0..1, ...] in board units. */
export function toBoardPoints(ints: ArrayLike<number>): Float32Array {
  const n = Math.floor(ints.length / 3)
  const out = new Float32Array(n * 3)
  for (let i = 0; i < n; i++) {
    out[i * 3] = (ints[i * 3] ?? 0) / COORD_SCALE
    out[i * 3 + 1] = (ints[i * 3 + 1] ?? 0) / COORD_SCALE
    out[i * 3 + 2] = (ints[i * 3 + 2] ?? 0) / PRESSURE_SCALE
  }
  return out
}

/** True when every entry is a safe small integer (live arrays come from the other side). */
export function isIntArray(values: readonly unknown[]): values is number[] {
  for (const v of values) if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > 1_000_000) return false
  return true
}
