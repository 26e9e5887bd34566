import { fileSource } from './finalize'
import type { RecordingFs } from './fs'
import { remux } from './remux'
import { scanWebm } from './webmScan'

/**
 * Writes a copy of a finished recording as MP4 (the same VP9/VP8 + Opus
 * frames in ISO-BMFF, no re-encoding), via a temp file renamed into place.
 * Players that take VP9 in MP4 (Chromium, Firefox, VLC, mpv, Windows' Films
 * & TV with the VP9 extension) play it; QuickTime does not.
 */
export async function exportMp4(fs: RecordingFs, from: string, to: string): Promise<void> {
  const info = await fs.stat(from)
  if (!info) throw new Error('The recording file is missing')
  const source = await fs.open(from, 'r')
  const temp = `${to}.partial`
  const out = await fs.open(temp, 'w')
  try {
    const scan = await scanWebm(fileSource(source, info.size))
    if (!scan.ok) throw new Error(`The recording cannot be exported: ${scan.detail}`)
    await remux(fileSource(source, info.size), scan.cleanEnd, { write: (data, position) => out.write(data, position) }, 'mp4')
    await out.sync()
    await out.close()
    await fs.rename(temp, to)
  } finally {
    await out.close().catch(() => {})
    await source.close().catch(() => {})
    await fs.rm(temp).catch(() => {})
  }
}
