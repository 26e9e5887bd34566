import { EBML_ID, SEGMENT_CHILDREN, WindowedReader, readHeader, readUint, type ByteSource } from './ebml'

export interface WebmScan {
  ok: true
  /** Bytes up to the end of the last complete element: everything after is a torn write. */
  cleanEnd: number
  truncatedBytes: number
  clusters: number
  videoFrames: number
  audioBlocks: number
  /** Timestamp of the last complete block (its start), in ms. */
  mediaEndMs: number
  hasDuration: boolean
  hasCues: boolean
}

export type WebmScanResult = WebmScan | { ok: false; problem: 'not-webm' | 'no-media'; detail: string }

const TRACK_VIDEO = 1
const TRACK_AUDIO = 2

/** Children of a small master element (Info, Tracks, TrackEntry, BlockGroup) read from memory. */
function* children(bytes: Uint8Array): Generator<{ id: number; data: Uint8Array }> {
  let pos = 0
  while (pos < bytes.length) {
    const first = bytes[pos] ?? 0
    let idLength = 1
    while (idLength <= 4 && !(first & (0x80 >> (idLength - 1)))) idLength += 1
    if (idLength > 4) return
    const sizeFirst = bytes[pos + idLength] ?? 0
    let sizeLength = 1
    while (sizeLength <= 8 && !(sizeFirst & (0x80 >> (sizeLength - 1)))) sizeLength += 1
    if (sizeLength > 8) return
    const id = readUint(bytes.subarray(pos, pos + idLength))
    let size = sizeFirst & (0xff >> sizeLength)
    for (let i = 1; i < sizeLength; i += 1) size = size * 256 + (bytes[pos + idLength + i] ?? 0)
    const dataStart = pos + idLength + sizeLength
    if (dataStart + size > bytes.length) return
    yield { id, data: bytes.subarray(dataStart, dataStart + size) }
    pos = dataStart + size
  }
}

/** Track number and signed relative timecode at the start of a (Simple)Block's data. */
function blockHead(data: Uint8Array): { track: number; relative: number } | null {
  const first = data[0] ?? 0
  const length = first & 0x80 ? 1 : first & 0x40 ? 2 : 0
  if (length === 0 || data.length < length + 2) return null
  const track = length === 1 ? first & 0x7f : ((first & 0x3f) << 8) | (data[1] ?? 0)
  const raw = ((data[length] ?? 0) << 8) | (data[length + 1] ?? 0)
  return { track, relative: raw >= 0x8000 ? raw - 0x10000 : raw }
}

/**
 * Walks a WebM as MediaRecorder writes it (or as a crash left it) and finds
 * where the last complete element ends, counting clusters and frames on the
 * way. Never throws on bad data: an unreadable header is where the file ends.
 */
export async function scanWebm(source: ByteSource): Promise<WebmScanResult> {
  const reader = new WindowedReader(source)
  const ebml = await readHeader(reader, 0)
  if (!ebml || ebml.id !== EBML_ID.EBML || ebml.size === null) return { ok: false, problem: 'not-webm', detail: 'no EBML header' }
  const segment = await readHeader(reader, ebml.dataStart + ebml.size)
  if (!segment || segment.id !== EBML_ID.Segment) return { ok: false, problem: 'not-webm', detail: 'no Segment after the EBML header' }
  const segmentEnd = segment.size === null ? source.size : Math.min(source.size, segment.dataStart + segment.size)

  const scan: WebmScan = { ok: true, cleanEnd: segment.dataStart, truncatedBytes: 0, clusters: 0, videoFrames: 0, audioBlocks: 0, mediaEndMs: 0, hasDuration: false, hasCues: false }
  const trackTypes = new Map<number, number>()
  let scaleMs = 1 // TimecodeScale 1,000,000 ns
  let hasTracks = false
  let cluster: { end: number; timecode: number } | null = null

  const countBlock = (data: Uint8Array): void => {
    const head = blockHead(data)
    if (!head || !cluster) return
    const type = trackTypes.get(head.track)
    if (type === TRACK_VIDEO) scan.videoFrames += 1
    else if (type === TRACK_AUDIO) scan.audioBlocks += 1
    scan.mediaEndMs = Math.max(scan.mediaEndMs, (cluster.timecode + head.relative) * scaleMs)
  }

  let pos = segment.dataStart
  while (pos < segmentEnd) {
    if (cluster && pos >= cluster.end) cluster = null
    const h = await readHeader(reader, pos)
    if (!h) break
    if (cluster && cluster.end === Infinity && SEGMENT_CHILDREN.has(h.id)) cluster = null
    if (h.id === EBML_ID.Cluster) {
      scan.clusters += 1
      cluster = { end: h.size === null ? Infinity : h.dataStart + h.size, timecode: 0 }
      pos = h.dataStart
      continue
    }
    if (h.size === null) break // only Segment and Cluster may have unknown size
    const end = h.dataStart + h.size
    if (end > source.size) break // torn
    if (h.id === EBML_ID.Info || h.id === EBML_ID.Tracks || (cluster && (h.id === EBML_ID.Timecode || h.id === EBML_ID.SimpleBlock || h.id === EBML_ID.BlockGroup))) {
      // Blocks: only the first bytes matter; the rest are read for small masters only.
      const wanted = h.id === EBML_ID.SimpleBlock ? Math.min(h.size, 8) : h.size
      const data = await reader.bytes(h.dataStart, wanted)
      if (!data) break
      if (h.id === EBML_ID.Info) {
        for (const child of children(data)) {
          if (child.id === EBML_ID.TimecodeScale) scaleMs = readUint(child.data) / 1e6
          if (child.id === EBML_ID.Duration) scan.hasDuration = true
        }
      } else if (h.id === EBML_ID.Tracks) {
        for (const entry of children(data)) {
          if (entry.id !== EBML_ID.TrackEntry) continue
          let number = 0
          let type = 0
          for (const field of children(entry.data)) {
            if (field.id === EBML_ID.TrackNumber) number = readUint(field.data)
            if (field.id === EBML_ID.TrackType) type = readUint(field.data)
          }
          if (number > 0) trackTypes.set(number, type)
        }
        hasTracks = trackTypes.size > 0
      } else if (cluster && h.id === EBML_ID.Timecode) {
        cluster.timecode = readUint(data)
      } else if (h.id === EBML_ID.SimpleBlock) {
        countBlock(data)
      } else {
        for (const child of children(data)) if (child.id === EBML_ID.Block) countBlock(child.data)
      }
    } else if (h.id === EBML_ID.Cues) {
      scan.hasCues = true
    }
    pos = end
    scan.cleanEnd = end
  }

  scan.truncatedBytes = source.size - scan.cleanEnd
  if (!hasTracks) return { ok: false, problem: 'no-media', detail: 'the file ends before its track list' }
  if (scan.videoFrames + scan.audioBlocks === 0) return { ok: false, problem: 'no-media', detail: 'the file holds no complete frame' }
  return scan
}
