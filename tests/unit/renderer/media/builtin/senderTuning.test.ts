import { describe, expect, it } from 'vitest'
import { CAMERA_RUNGS } from '../../../../../src/renderer/media/builtin/cameraLadder'
import { applySenderSettings, AUDIO_SETTINGS, cameraSettings, screenSettings } from '../../../../../src/renderer/media/builtin/senderTuning'

/** A sender as Chromium reports its parameters, recording what is applied. */
function fakeSender(
  encoding: RTCRtpEncodingParameters = {},
  options: { refuseScalability?: boolean; refuseCodec?: boolean; codecs?: RTCRtpCodecParameters[] } = {},
): { sender: RTCRtpSender; applied: RTCRtpSendParameters[] } {
  const applied: RTCRtpSendParameters[] = []
  let params = { encodings: [encoding], transactionId: 't', codecs: options.codecs ?? [], headerExtensions: [], rtcp: {} } as unknown as RTCRtpSendParameters
  const sender = {
    getParameters: () => structuredClone(params),
    setParameters: async (p: RTCRtpSendParameters) => {
      if (options.refuseScalability && p.encodings.some((e) => 'scalabilityMode' in e)) throw new DOMException('unsupported scalabilityMode', 'OperationError')
      if (options.refuseCodec && p.encodings.some((e) => 'codec' in e)) throw new DOMException('codec not supported per encoding', 'InvalidModificationError')
      applied.push(p)
      params = p
    },
  } as unknown as RTCRtpSender
  return { sender, applied }
}

describe('camera sender settings', () => {
  it('sends HD at full size while the link holds it', async () => {
    const { sender, applied } = fakeSender()
    await applySenderSettings(sender, cameraSettings(1, null))
    expect(applied[0]?.encodings[0]).toMatchObject({ scaleResolutionDownBy: 1, maxBitrate: 2_500_000, maxFramerate: 30 })
    expect((applied[0] as { degradationPreference?: string }).degradationPreference).toBe('balanced')
  })

  it('scales the picture and its bitrate cap down for a small tile, and back up', async () => {
    const { sender, applied } = fakeSender()
    await applySenderSettings(sender, cameraSettings(4, null))
    expect(applied.at(-1)?.encodings[0]).toMatchObject({ scaleResolutionDownBy: 4, maxBitrate: 300_000 })
    await applySenderSettings(sender, cameraSettings(2, null))
    expect(applied.at(-1)?.encodings[0]).toMatchObject({ scaleResolutionDownBy: 2, maxBitrate: 625_000 })
    await applySenderSettings(sender, cameraSettings(1, null))
    expect(applied.at(-1)?.encodings[0]).toMatchObject({ scaleResolutionDownBy: 1, maxBitrate: 2_500_000 })
    // Nothing to change: nothing applied.
    const count = applied.length
    await applySenderSettings(sender, cameraSettings(1, null))
    expect(applied.length).toBe(count)
  })

  it('never sends more than the link rung holds, nor more than the tile shows', () => {
    const rung360 = CAMERA_RUNGS.find((r) => r.name === '360p24')!
    expect(cameraSettings(1, rung360)).toMatchObject({ scaleResolutionDownBy: 2, maxBitrate: 1_000_000, maxFramerate: 24 })
    expect(cameraSettings(4, rung360)).toMatchObject({ scaleResolutionDownBy: 4, maxBitrate: 300_000, maxFramerate: 24 })
  })

  it('on a rung of the ladder the camera sends two temporal layers; a browser that refuses them still gets the rung', async () => {
    const rung360 = CAMERA_RUNGS.find((r) => r.name === '360p10')!
    const { sender, applied } = fakeSender()
    await applySenderSettings(sender, cameraSettings(1, rung360))
    expect(applied.at(-1)?.encodings[0]).toMatchObject({ scaleResolutionDownBy: 2, maxFramerate: 10, scalabilityMode: 'L1T2' })
    const refusing = fakeSender({}, { refuseScalability: true })
    expect(await applySenderSettings(refusing.sender, cameraSettings(1, rung360))).toBe(true)
    expect(refusing.applied.at(-1)?.encodings[0]).toMatchObject({ scaleResolutionDownBy: 2, maxFramerate: 10 })
    expect(refusing.applied.at(-1)?.encodings[0]).not.toHaveProperty('scalabilityMode')
  })

  it('on a weak link (360 lines and below) the camera switches to VP9 without renegotiating, and back to VP8 on a large rung', async () => {
    const vp8 = { payloadType: 96, mimeType: 'video/VP8', clockRate: 90000 }
    const vp9 = { payloadType: 98, mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=0' }
    const vp9p2 = { payloadType: 100, mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=2' }
    const rung = (name: string) => CAMERA_RUNGS.find((r) => r.name === name)!
    expect(CAMERA_RUNGS.map((r) => cameraSettings(1, r).codec)).toEqual(['video/VP8', 'video/VP8', 'video/VP9', 'video/VP9', 'video/VP9', 'video/VP9', 'video/VP9'])
    // Without a rung (tuning off, or before the first stats) the browser's own choice stands.
    expect(cameraSettings(1, null).codec).toBeUndefined()

    const { sender, applied } = fakeSender({}, { codecs: [vp8, vp9, vp9p2, { payloadType: 97, mimeType: 'video/rtx', clockRate: 90000, sdpFmtpLine: 'apt=96' }] })
    // On 720p the first negotiated codec (VP8) is already what is sent: nothing to change for it.
    await applySenderSettings(sender, cameraSettings(1, rung('720p30')))
    expect(applied.at(-1)?.encodings[0]).not.toHaveProperty('codec')
    await applySenderSettings(sender, cameraSettings(1, rung('360p15')))
    expect(applied.at(-1)?.encodings[0]).toMatchObject({ scaleResolutionDownBy: 2, codec: { mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=0' } })
    const count = applied.length
    await applySenderSettings(sender, cameraSettings(1, rung('360p10')))
    expect(applied.length).toBe(count + 1)
    expect(applied.at(-1)?.encodings[0]).toMatchObject({ maxFramerate: 10, codec: { sdpFmtpLine: 'profile-id=0' } })
    await applySenderSettings(sender, cameraSettings(1, rung('540p30')))
    expect(applied.at(-1)?.encodings[0]).toMatchObject({ codec: { mimeType: 'video/VP8', clockRate: 90000 } })
    expect(applied.at(-1)?.encodings[0]).not.toHaveProperty('codec.sdpFmtpLine')
  })

  it('keeps VP8 when the other side has no VP9, and a browser that cannot choose a codec per encoding still gets the rung', async () => {
    const vp8 = { payloadType: 96, mimeType: 'video/VP8', clockRate: 90000 }
    const rung360 = CAMERA_RUNGS.find((r) => r.name === '360p10')!
    const plain = fakeSender({}, { codecs: [vp8] })
    await applySenderSettings(plain.sender, cameraSettings(1, rung360))
    expect(plain.applied.at(-1)?.encodings[0]).toMatchObject({ scaleResolutionDownBy: 2, maxFramerate: 10 })
    expect(plain.applied.at(-1)?.encodings[0]).not.toHaveProperty('codec')
    const refusing = fakeSender({}, { refuseCodec: true, codecs: [vp8, { payloadType: 98, mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=0' }] })
    expect(await applySenderSettings(refusing.sender, cameraSettings(1, rung360))).toBe(true)
    expect(refusing.applied.at(-1)?.encodings[0]).toMatchObject({ scaleResolutionDownBy: 2, maxFramerate: 10, scalabilityMode: 'L1T2' })
    expect(refusing.applied.at(-1)?.encodings[0]).not.toHaveProperty('codec')
  })

  it('pauses and resumes the encoder, and keeps other fields as they are', async () => {
    const { sender, applied } = fakeSender({ maxBitrate: 1000 })
    await applySenderSettings(sender, { active: false })
    expect(applied.at(-1)?.encodings[0]).toEqual({ maxBitrate: 1000, active: false })
  })
})

describe('screen and audio sender settings', () => {
  it('a shared screen keeps its full resolution and gives up frame rate', () => {
    expect(screenSettings(2)).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 2, degradationPreference: 'maintain-resolution' })
    expect(screenSettings(60).maxFramerate).toBe(15)
  })

  it('the microphone goes first', async () => {
    const { sender, applied } = fakeSender()
    await applySenderSettings(sender, AUDIO_SETTINGS)
    expect(applied[0]?.encodings[0]).toMatchObject({ priority: 'high', networkPriority: 'high' })
  })
})
