/** What Duet asks of a camera: HD 720p at 30 fps (DESIGN.md, issue "HD one-to-one"). */
export const HD_VIDEO = { width: 1280, height: 720, frameRate: 30 } as const

/** Highest bitrate the camera sender may use; 720p30 looks crisp at 1.5-2.5 Mbps. */
export const CAMERA_MAX_BITRATE_BPS = 2_500_000
/** Where the bandwidth estimate starts, so the picture is HD from the first seconds. */
export const CAMERA_START_BITRATE_KBPS = 1_500

/** Screen share: up to 1080p, resolution before frame rate (DESIGN.md, screen sharing issue). */
export const SCREEN_MAX = { width: 1920, height: 1080 } as const
export const SCREEN_MAX_FPS = 15
export const SCREEN_MAX_BITRATE_BPS = 2_500_000

export function screenConstraints(withAudio: boolean): DisplayMediaStreamOptions {
  return {
    video: { width: { max: SCREEN_MAX.width }, height: { max: SCREEN_MAX.height }, frameRate: { ideal: SCREEN_MAX_FPS, max: 30 } },
    // Browsers show a "share audio" choice only when audio is asked for.
    audio: withAudio,
  }
}

type DeviceConstraint = ConstrainDOMString | undefined

function deviceConstraint(deviceId: string | null, strict: boolean): DeviceConstraint {
  if (!deviceId) return undefined
  return strict ? { exact: deviceId } : { ideal: deviceId }
}

/** `strict` when the user just picked the device; remembered choices are only preferred. */
export function cameraConstraints(deviceId: string | null, strict = false): MediaTrackConstraints {
  const constraints: MediaTrackConstraints = {
    width: { ideal: HD_VIDEO.width },
    height: { ideal: HD_VIDEO.height },
    frameRate: { ideal: HD_VIDEO.frameRate },
  }
  const device = deviceConstraint(deviceId, strict)
  if (device) constraints.deviceId = device
  return constraints
}

export function microphoneConstraints(deviceId: string | null, strict = false): MediaTrackConstraints {
  const constraints: MediaTrackConstraints = {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
    channelCount: 1,
  }
  const device = deviceConstraint(deviceId, strict)
  if (device) constraints.deviceId = device
  return constraints
}

/** `unsendable`: a camera whose picture no encoder takes (depth or infrared), see sendableCamera.ts. */
export type MediaAccessProblem = 'denied' | 'not-found' | 'in-use' | 'unsendable' | 'other'

/** Turns getUserMedia's DOMException names into what the user should be told. */
export function classifyMediaError(error: unknown): MediaAccessProblem {
  const name = error instanceof Error ? error.name : ''
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied'
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'not-found'
    case 'NotReadableError':
    case 'AbortError':
      return 'in-use'
    default:
      return 'other'
  }
}
