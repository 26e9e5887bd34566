import type { StreamTargetChunk } from 'mediabunny'
import type { ByteSource } from './ebml'

/** Where remuxed bytes go: positioned writes (the muxer seeks back to fill in sizes). */
export interface PositionalSink {
  write(data: Uint8Array, position: number): Promise<void>
}

export interface RemuxResult {
  durationMs: number
}

/**
 * Copies every encoded frame of `source` (its first `length` bytes: a torn
 * tail is left out) into a new file without re-encoding. mediabunny writes
 * the Duration, known-size Clusters, Cues and a SeekHead, which is what
 * players need to show a length and seek. The same call makes the MP4 export
 * (VP9/VP8 + Opus in ISO-BMFF).
 */
export async function remux(source: ByteSource, length: number, sink: PositionalSink, format: 'webm' | 'mp4'): Promise<RemuxResult> {
  // Loaded on first use: servers and the app start without it, most runs never finalize anything.
  const { ALL_FORMATS, Conversion, Input, Mp4OutputFormat, Output, StreamSource, StreamTarget, WebMOutputFormat } = await import('mediabunny')
  const input = new Input({
    formats: ALL_FORMATS,
    source: new StreamSource({
      getSize: () => length,
      read: (start, end) => source.read(start, end - start),
      prefetchProfile: 'fileSystem',
    }),
  })
  try {
    const output = new Output({
      format: format === 'webm' ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: false }),
      target: new StreamTarget(
        new WritableStream<StreamTargetChunk>({ write: (chunk) => sink.write(chunk.data, chunk.position) }),
        { chunked: true, chunkSize: 4 * 1024 * 1024 },
      ),
    })
    const conversion = await Conversion.init({ input, output, showWarnings: false })
    if (!conversion.isValid) {
      const reasons = conversion.discardedTracks.map((t) => t.reason).join(', ')
      throw new Error(`cannot remux: ${reasons || 'no usable track'}`)
    }
    await conversion.execute()
    return { durationMs: Math.round((await input.computeDuration()) * 1000) }
  } finally {
    input.dispose()
  }
}
