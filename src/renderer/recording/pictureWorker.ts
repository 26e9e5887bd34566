// Turns a track's VideoFrames into ImageBitmaps for the recording
// compositor, off the page's thread (see frameSources.ts for why). The page
// sends the frames (a MediaStreamTrackProcessor's readable stream); every
// picture goes back transferred, and the page keeps only the newest.
let reader: ReadableStreamDefaultReader<VideoFrame> | null = null

async function pump(r: ReadableStreamDefaultReader<VideoFrame>): Promise<void> {
  for (;;) {
    const { value: frame, done } = await r.read()
    if (done || r !== reader) {
      frame?.close()
      return
    }
    try {
      const picture = await createImageBitmap(frame)
      postMessage(picture, { transfer: [picture] })
    } catch {
      // A frame that cannot be converted (its track just ended) is skipped.
    } finally {
      frame.close()
    }
  }
}

onmessage = (event: MessageEvent<ReadableStream<VideoFrame> | null>) => {
  reader?.cancel().catch(() => {})
  reader = event.data ? event.data.getReader() : null
  if (reader) pump(reader).catch(() => {})
}
