import { describe, expect, it } from 'vitest'
import { cameraScaleFor, deviceBox } from '../../../../src/renderer/media/cameraScale'
import { CAMERA_RUNGS } from '../../../../src/renderer/media/builtin/cameraLadder'
import { applySenderSettings, cameraSettings } from '../../../../src/renderer/media/builtin/senderTuning'

describe('cameraScaleFor', () => {
  it('sends full HD when the tile is large or its size is not known', () => {
    expect(cameraScaleFor(null)).toBe(1)
    expect(cameraScaleFor(undefined)).toBe(1)
    expect(cameraScaleFor({ width: 1232, height: 547 })).toBe(1)
    expect(cameraScaleFor({ width: 2464, height: 1094 })).toBe(1)
  })

  it('sends half or a quarter when the tile is that small, never smaller than the tile', () => {
    // A 260x146 camera tile beside a shared screen, and the board's 184x138 tile: 320x180 still covers both.
    expect(cameraScaleFor({ width: 260, height: 146 })).toBe(4)
    expect(cameraScaleFor({ width: 184, height: 138 })).toBe(4)
    // The same tile on a 2x screen needs 640x360.
    expect(cameraScaleFor({ width: 368, height: 276 })).toBe(2)
    expect(cameraScaleFor({ width: 641, height: 200 })).toBe(1)
  })

  it('judges by the picture actually captured', () => {
    expect(cameraScaleFor({ width: 320, height: 240 }, { width: 640, height: 480 })).toBe(2)
  })
})

describe('deviceBox', () => {
  it('turns CSS pixels into whole device pixels', () => {
    expect(deviceBox(184, 138, 2)).toEqual({ width: 368, height: 276 })
    expect(deviceBox(183.6, 137.5, 1)).toEqual({ width: 184, height: 138 })
  })
  it('has no box while the tile is not laid out', () => {
    expect(deviceBox(0, 138, 1)).toBeNull()
  })
})

/** A sender as Chromium reports its parameters, recording what is applied. */
function fakeSender(encoding: RTCRtpEncodingParameters = {}): { sender: RTCRtpSender; applied: RTCRtpSendParameters[] } {
  const applied: RTCRtpSendParameters[] = []
  let params = { encodings: [encoding], transactionId: 't', codecs: [], headerExtensions: [], rtcp: {} } as unknown as RTCRtpSendParameters
  const sender = {
    getParameters: () => structuredClone(params),
    setParameters: async (p: RTCRtpSendParameters) => {
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

  it('pauses and resumes the encoder, and keeps other fields as they are', async () => {
    const { sender, applied } = fakeSender({ maxBitrate: 1000 })
    await applySenderSettings(sender, { active: false })
    expect(applied.at(-1)?.encodings[0]).toEqual({ maxBitrate: 1000, active: false })
  })
})
