import { existsSync } from 'node:fs'

/**
 * Chromium for browser tests and benchmarks: Debian's build (Playwright's own
 * download cannot run here). CHROMIUM_PATH overrides.
 */
export function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) return fromEnv
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(candidate)) return candidate
  }
  return undefined
}

/** Fake camera + microphone give real media streams, so WebRTC on loopback is real. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  // Three fake cameras, so device switching is tested too. (Chromium's fake_device_1
  // is a 16-bit depth camera that a WebRTC encoder cannot take; tests switch to fake_device_2.)
  '--use-fake-device-for-media-stream=device-count=3',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Two lesson windows run side by side; neither may be throttled as "hidden".
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
]
