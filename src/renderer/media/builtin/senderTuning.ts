import { CAMERA_MAX_BITRATE_BPS, HD_VIDEO } from '../constraints'

/**
 * Sets the camera sender up for HD: keep 1280x720 and give up frame rate
 * first when bandwidth is short (a tutor holding a worksheet to the camera
 * needs sharp text more than smooth motion), capped at 2.5 Mbps and 30 fps.
 */
export async function tuneCameraSender(sender: RTCRtpSender): Promise<void> {
  const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string }
  if (!params.encodings || params.encodings.length === 0) return
  let changed = false
  for (const encoding of params.encodings) {
    if (encoding.maxBitrate !== CAMERA_MAX_BITRATE_BPS) {
      encoding.maxBitrate = CAMERA_MAX_BITRATE_BPS
      changed = true
    }
    if (encoding.maxFramerate !== HD_VIDEO.frameRate) {
      encoding.maxFramerate = HD_VIDEO.frameRate
      changed = true
    }
    if (encoding.scaleResolutionDownBy !== 1) {
      encoding.scaleResolutionDownBy = 1
      changed = true
    }
  }
  if (params.degradationPreference !== 'maintain-resolution') {
    params.degradationPreference = 'maintain-resolution'
    changed = true
  }
  if (!changed) return
  try {
    await sender.setParameters(params)
  } catch (error) {
    console.debug('[duet] camera sender tuning not applied', error)
  }
}
