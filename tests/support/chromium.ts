import { chmodSync, existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

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

const SETPRIV = '/usr/bin/setpriv'

/**
 * Chromium with the scheduling an ordinary user's Chromium gets, for the
 * benchmark. This machine runs everything as root, and root may raise thread
 * priority (CAP_SYS_NICE): Chromium then puts its compositor, media and IO
 * threads at nice -8, where each outweighs a normal thread about five to one,
 * and the session server, the network service and each page's main thread
 * (everything ink travels through) wait behind two video calls' worth of
 * them. A user's desktop never allows that (RLIMIT_NICE is 0), so the
 * benchmark starts Chromium without that one capability, through setpriv.
 * Elsewhere (not root, no setpriv, CHROMIUM_PATH set) it is the plain binary.
 */
export function chromiumAsUser(): string | undefined {
  const binary = chromiumExecutable()
  if (!binary || process.env.CHROMIUM_PATH || process.getuid?.() !== 0 || !existsSync(SETPRIV)) return binary
  const wrapper = join(tmpdir(), 'duet-chromium-as-user.sh')
  writeFileSync(wrapper, `#!/bin/sh\nexec ${SETPRIV} --inh-caps=-sys_nice --bounding-set=-sys_nice -- '${binary}' "$@"\n`)
  chmodSync(wrapper, 0o755)
  return wrapper
}

/**
 * Chromium's switches for tests and benchmarks: fake camera + microphone give real media streams,
 * so WebRTC on loopback is real. Three fake cameras, so device switching is tested too (Chromium's
 * fake_device_1 is a 16-bit depth camera that a WebRTC encoder cannot take; tests switch to
 * fake_device_2), at `cameraFps` frames a second (Chromium's own default is 20).
 */
export function chromiumArgs(cameraFps?: number): string[] {
  return [
    '--no-sandbox',
    '--use-fake-ui-for-media-stream',
    `--use-fake-device-for-media-stream=device-count=3${cameraFps === undefined ? '' : `,fps=${cameraFps}`}`,
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
}

/** The benchmark's and the network lab's Chromium: cameras at Chromium's 20 frames a second, as every figure in the bench history was measured. */
export const CHROMIUM_ARGS = chromiumArgs()

/**
 * The browser tests' Chromium: cameras at 10 frames a second, as a webcam gives in a dim room.
 * Every test holds one to three live calls, and on two cores the encoders of 20-frame cameras
 * took much of the suite's time; what the tests check (who sees what, what is saved, what is
 * refused) does not depend on the frame rate. Tests of the picture itself choose their own
 * (videoLayers 30; network, through the lab, 20).
 */
export const E2E_CHROMIUM_ARGS = chromiumArgs(10)
