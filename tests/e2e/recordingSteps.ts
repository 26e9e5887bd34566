import { readFile } from 'node:fs/promises'
import { expect, type Page } from '@playwright/test'
import { scanWebm } from '../../src/shared/recording/webmScan'

export interface StoredKey {
  server: string
  lessonId: string
  role: 'tutor' | 'student'
  key: string
}

/** The library keys this browser profile holds (saved when a recorded lesson starts). */
export async function libraryKeys(page: Page): Promise<StoredKey[]> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('duet.libraryKeys') ?? '[]'))
}

export interface LoadedVideo {
  duration: number
  width: number
  height: number
  /** After seeking to `seekTo`: where the video is and whether the frame has a picture. */
  seekedTo: number
  frameHasPicture: boolean
}

/** What one decoded frame of a recording shows, with the video's size and length. */
interface DecodedFrame {
  duration: number
  width: number
  height: number
  /** Where the video says it is after the seek. */
  seekedTo: number
  /** The media time of the frame measured (null: the video presented none after the seek within 5 s). */
  frameTime: number | null
  /** Brightest minus darkest pixel: a black or blank frame has (almost) none. */
  lumaSpread: number
  /** Shares of the frame near the given ink colour, and (nearly) white. */
  ink: number
  white: number
}

/** Loads a recording into a <video> in `page`, seeks to `seekTo` seconds and measures that frame at full size. */
function decodeFrame(page: Page, url: string, seekTo: number, ink: [number, number, number] = [0, 0, 0]): Promise<DecodedFrame> {
  return page.evaluate(
    async ({ url, seekTo, ink }) => {
      const video = document.createElement('video')
      video.muted = true
      video.preload = 'auto'
      // On screen (small, in a corner): a video that is not drawn presents no frames to wait for.
      video.style.cssText = 'position: fixed; left: 0; top: 0; width: 64px; height: 36px; z-index: 1000'
      document.body.append(video)
      const once = (name: string) =>
        new Promise<void>((resolve, reject) => {
          video.addEventListener(name, () => resolve(), { once: true })
          video.addEventListener('error', () => reject(new Error(`video error ${video.error?.code}: ${video.error?.message}`)), { once: true })
        })
      const loaded = once('loadedmetadata')
      video.src = url
      await loaded
      const seeked = once('seeked')
      // 'seeked' can come before the frame at the new position is the one a canvas draws (the first
      // frame, decoded on load, is drawn instead): wait until a frame near the target is presented.
      const presented = new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 5000)
        const ask = (): void => {
          video.requestVideoFrameCallback((_now, frame) => {
            if (Math.abs(frame.mediaTime - seekTo) >= 1) return ask()
            clearTimeout(timer)
            resolve(frame.mediaTime)
          })
        }
        ask()
      })
      video.currentTime = seekTo
      await seeked
      if (video.readyState < 2) await once('loadeddata')
      const frameTime = await presented
      const canvas = document.createElement('canvas')
      canvas.width = video.videoWidth
      canvas.height = video.videoHeight
      const ctx = canvas.getContext('2d')!
      ctx.drawImage(video, 0, 0)
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data
      let min = 255
      let max = 0
      let inky = 0
      let white = 0
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!]
        const luma = (r + g + b) / 3
        min = Math.min(min, luma)
        max = Math.max(max, luma)
        if (Math.abs(r - ink[0]) < 40 && Math.abs(g - ink[1]) < 40 && Math.abs(b - ink[2]) < 40) inky++
        if (r > 235 && g > 235 && b > 235) white++
      }
      const total = pixels.length / 4
      const result = { duration: video.duration, width: video.videoWidth, height: video.videoHeight, seekedTo: video.currentTime, frameTime, lumaSpread: max - min, ink: inky / total, white: white / total }
      video.remove()
      return result
    },
    { url, seekTo, ink },
  )
}

/**
 * Loads a recording from the server's library endpoint into a <video> in
 * `page`, reads its duration, seeks and checks the frame there is a real
 * picture (not black or blank).
 */
export async function loadRecording(page: Page, url: string, seekTo: number): Promise<LoadedVideo> {
  const { duration, width, height, seekedTo, lumaSpread } = await decodeFrame(page, url, seekTo)
  return { duration, width, height, seekedTo, frameHasPicture: lumaSpread > 40 }
}

/** The file URL of a lesson's recording on the server, with the library key. */
export function recordingUrl(origin: string, key: StoredKey, file = 'recording.webm'): string {
  return `${origin}/api/library/${key.lessonId}/file/${file}?key=${encodeURIComponent(key.key)}`
}

export async function expectIndicator(page: Page, visible: boolean): Promise<void> {
  if (visible) await expect(page.getByTestId('recording-indicator')).toBeVisible()
  else await expect(page.getByTestId('recording-indicator')).toBeHidden({ timeout: 40_000 })
}

/**
 * Presses Stop exactly `ms` after the tutor's encoder started (the app's
 * performance marks), from inside the page so a busy test driver adds no
 * delay; returns how long the encoder ran by those marks.
 */
export async function stopAfter(page: Page, ms: number): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName('duet:recording-started').length > 0, null, { timeout: 20_000 })
  await page.evaluate(async (ms) => {
    const started = performance.getEntriesByName('duet:recording-started')[0]!.startTime
    await new Promise((resolve) => setTimeout(resolve, started + ms - performance.now()))
    ;(document.querySelector('[data-testid=toggle-recording]') as HTMLButtonElement).click()
  }, ms)
  await page.waitForFunction(() => performance.getEntriesByName('duet:recording-stopped').length > 0, null, { timeout: 20_000 })
  return page.evaluate(() => performance.getEntriesByName('duet:recording-stopped')[0]!.startTime - performance.getEntriesByName('duet:recording-started')[0]!.startTime)
}

/** How much of a frame is the ink colour and white board paper, with where the seek landed, the measured frame's media time and the file's duration as this video reads it (for a failure's log). */
export type FrameColours = Pick<DecodedFrame, 'ink' | 'white' | 'seekedTo' | 'frameTime' | 'duration'>

/** How much of the recording's frame at `seekTo` seconds is the ink colour, and how much white paper. */
export async function frameColours(page: Page, url: string, seekTo: number, ink: [number, number, number]): Promise<FrameColours> {
  const frame = await decodeFrame(page, url, seekTo, ink)
  return { ink: frame.ink, white: frame.white, seekedTo: frame.seekedTo, frameTime: frame.frameTime, duration: frame.duration }
}

/** Seconds recorded so far, as the tutor's recording indicator shows them. */
export async function recordedSeconds(page: Page): Promise<number> {
  const [m = 0, s = 0] = ((await page.getByTestId('recording-elapsed').textContent()) ?? '').split(':').map(Number)
  return m * 60 + s
}

/** Waits until the tutor's recording indicator shows at least `seconds` recorded. */
export async function recordedAtLeast(page: Page, seconds: number): Promise<void> {
  await expect.poll(() => recordedSeconds(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(seconds)
}

/** Media (ms, by the last complete block's timestamp) in a recording file as it lies on the server's disk; 0 while there is none. */
export async function storedMediaMs(path: string): Promise<number> {
  const bytes = await readFile(path).catch(() => null)
  if (!bytes) return 0
  const scan = await scanWebm({ size: bytes.length, read: async (position, length) => bytes.subarray(position, position + length) })
  return scan.ok ? scan.mediaEndMs : 0
}

/**
 * Waits until the server holds at least `ms` of media in the recording file:
 * on a busy machine the encoder runs seconds behind the clock, so time on the
 * clock says nothing about what has reached the disk.
 */
export async function storedAtLeast(path: string, ms: number): Promise<void> {
  await expect.poll(() => storedMediaMs(path), { timeout: 60_000 }).toBeGreaterThanOrEqual(ms)
}
