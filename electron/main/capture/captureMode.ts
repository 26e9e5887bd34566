/**
 * How a getDisplayMedia() request is answered on this machine.
 * - 'duet-picker': Duet lists screens and windows (desktopCapturer) and the
 *   renderer shows its own picker. The default everywhere it works.
 * - 'portal': Linux on Wayland. Apps cannot see other windows there; asking
 *   desktopCapturer for sources opens the xdg-desktop-portal picker (through
 *   PipeWire) and returns the one source the user chose.
 */
export type CaptureMode = 'duet-picker' | 'portal'

export interface CaptureEnvironment {
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
}

export function isWayland({ platform, env }: CaptureEnvironment): boolean {
  return platform === 'linux' && (env.XDG_SESSION_TYPE ?? '').toLowerCase() === 'wayland'
}

export function captureMode(environment: CaptureEnvironment): CaptureMode {
  return isWayland(environment) ? 'portal' : 'duet-picker'
}

/**
 * Chromium features to enable before the app is ready. PipeWire capture is what
 * makes screen sharing work on Wayland at all; it is harmless on X11, so it is
 * on for every Linux desktop (a user may switch session type between runs).
 */
export function chromiumFeatures({ platform }: CaptureEnvironment): string[] {
  return platform === 'linux' ? ['WebRTCPipeWireCapturer'] : []
}

/** Electron can add system audio ('loopback') to a screen share only on Windows. */
export function systemAudioSupported(platform: NodeJS.Platform): boolean {
  return platform === 'win32'
}
