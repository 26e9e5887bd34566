/**
 * Just enough EBML to walk a MediaRecorder WebM element by element without
 * loading it: ids, sizes (including "unknown size", which MediaRecorder uses
 * for the Segment and every Cluster) and a windowed reader.
 */

/** Random access to a file's bytes; a read past the end returns fewer bytes. */
export interface ByteSource {
  readonly size: number
  read(position: number, length: number): Promise<Uint8Array>
}

export const EBML_ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  Cues: 0x1c53bb6b,
  Tags: 0x1254c367,
  Chapters: 0x1043a770,
  Attachments: 0x1941a469,
  Void: 0xec,
} as const

/** Children of the Segment: seeing one of these ends an unknown-size Cluster. */
export const SEGMENT_CHILDREN = new Set<number>([
  EBML_ID.SeekHead,
  EBML_ID.Info,
  EBML_ID.Tracks,
  EBML_ID.Cluster,
  EBML_ID.Cues,
  EBML_ID.Tags,
  EBML_ID.Chapters,
  EBML_ID.Attachments,
])

export interface ElementHeader {
  id: number
  /** null = unknown size (runs until a sibling or parent-level element starts). */
  size: number | null
  /** Offset of the element's first byte. */
  start: number
  /** Offset of its data (after id and size). */
  dataStart: number
}

/** Reads through a moving window so walking thousands of small headers costs few reads. */
export class WindowedReader {
  private windowStart = 0
  private window: Uint8Array = new Uint8Array(0)

  constructor(
    readonly source: ByteSource,
    private readonly windowSize = 256 * 1024,
  ) {}

  /** `length` bytes at `position`, or null when the file ends first. */
  async bytes(position: number, length: number): Promise<Uint8Array | null> {
    if (position < 0 || position + length > this.source.size) return null
    const end = position + length
    if (position < this.windowStart || end > this.windowStart + this.window.length) {
      const want = Math.max(length, this.windowSize)
      this.window = await this.source.read(position, Math.min(want, this.source.size - position))
      this.windowStart = position
      if (this.window.length < length) return null
    }
    const offset = position - this.windowStart
    return this.window.subarray(offset, offset + length)
  }
}

/** Length of a variable-size integer from its first byte (1..8), 0 if invalid. */
function vintLength(first: number): number {
  for (let len = 1, mask = 0x80; len <= 8; len += 1, mask >>= 1) if (first & mask) return len
  return 0
}

/**
 * The element header at `position`, or null if the file ends inside it or
 * the bytes there are not a plausible header (zeros from a torn write).
 */
export async function readHeader(reader: WindowedReader, position: number): Promise<ElementHeader | null> {
  const head = await reader.bytes(position, 1)
  if (!head) return null
  const idLength = vintLength(head[0] ?? 0)
  if (idLength === 0 || idLength > 4) return null
  const idBytes = await reader.bytes(position, idLength)
  if (!idBytes) return null
  let id = 0
  for (const b of idBytes) id = id * 256 + b
  const sizeHead = await reader.bytes(position + idLength, 1)
  if (!sizeHead) return null
  const sizeLength = vintLength(sizeHead[0] ?? 0)
  if (sizeLength === 0) return null
  const sizeBytes = await reader.bytes(position + idLength, sizeLength)
  if (!sizeBytes) return null
  const mask = 0xff >> sizeLength
  let size = (sizeBytes[0] ?? 0) & mask
  let allOnes = size === mask
  for (let i = 1; i < sizeLength; i += 1) {
    const b = sizeBytes[i] ?? 0
    size = size * 256 + b
    if (b !== 0xff) allOnes = false
  }
  return { id, size: allOnes ? null : size, start: position, dataStart: position + idLength + sizeLength }
}

/** Unsigned big-endian integer of 1..8 bytes (EBML uint). */
export function readUint(bytes: Uint8Array): number {
  let value = 0
  for (const b of bytes) value = value * 256 + b
  return value
}
