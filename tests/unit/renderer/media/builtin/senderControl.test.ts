import { describe, expect, it } from 'vitest'
import { AUDIO_LEAN_BITRATE_BPS } from '../../../../../src/renderer/media/builtin/audioBitrate'
import { SenderControl } from '../../../../../src/renderer/media/builtin/senderControl'
import { AUDIO_SETTINGS } from '../../../../../src/renderer/media/builtin/senderTuning'

describe('SenderControl: what each sender is told', () => {
  it("the microphone goes first and at the tuner's bitrate cap; shared-screen audio is left at the browser's rate", () => {
    let cap: number | null = null
    const control = new SenderControl(true, () => null, () => cap)
    expect(control.settingsFor('audio')).toEqual({ ...AUDIO_SETTINGS, maxBitrate: undefined })
    cap = AUDIO_LEAN_BITRATE_BPS
    expect(control.settingsFor('audio')).toEqual({ ...AUDIO_SETTINGS, maxBitrate: AUDIO_LEAN_BITRATE_BPS })
    expect(control.settingsFor('screenAudio')).toEqual(AUDIO_SETTINGS)
  })

  it('untuned, the microphone is left alone', () => {
    const control = new SenderControl(false, () => null, () => AUDIO_LEAN_BITRATE_BPS)
    expect(control.settingsFor('audio')).toBeNull()
  })
})
