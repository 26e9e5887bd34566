import { describe, expect, it } from 'vitest'
import { CAMERA_RUNGS } from '../../../../../src/renderer/media/builtin/cameraLadder'
import { applySenderSettings, AUDIO_SETTINGS, cameraSettings, screenSettings } from '../../../../../src/renderer/media/builtin/senderTuning'

/** A sender as Chromium reports its parameters, recording what is applied. */
function fakeSender(encoding: RTCRtpEncodingParameters = {}, options: { refuseScalability?: boolean } = {}): { sender: RTCRtpSender; applied: RTCRtpSendParameters[] } {
  const applied: RTCRtpSendParameters[] = []
  let params = { encodings: [encoding], transactionId: 't', codecs: [], headerExtensions: [], rtcp: {} } as unknown as RTCRtpSendParameters
  const sender = {
    getParameters: () => structuredClone(params),
    setParameters: async (p: RTCRtpSendParameters) => {
      if (options.refuseScalability && p.encodings.some((e) => 'scalabilityMode' in e)) throw new DOMException('unsupported scalabilityMode', 'OperationError')
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
