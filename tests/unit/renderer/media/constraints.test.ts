import { describe, expect, it } from 'vitest'
import {
  CAMERA_MAX_BITRATE_BPS,
  CAMERA_START_BITRATE_KBPS,
  cameraConstraints,
  classifyMediaError,
  HD_VIDEO,
  microphoneConstraints,
} from '../../../../src/renderer/media/constraints'

describe('cameraConstraints', () => {
  it('asks for HD 720p30 as ideal values', () => {
    expect(HD_VIDEO).toEqual({ width: 1280, height: 720, frameRate: 30 })
    expect(cameraConstraints(null)).toEqual({ width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } })
    expect(cameraConstraints('')).not.toHaveProperty('deviceId')
  })

  it('prefers a remembered camera and insists on a just-picked one', () => {
    expect(cameraConstraints('cam-1').deviceId).toEqual({ ideal: 'cam-1' })
    expect(cameraConstraints('cam-1', false).deviceId).toEqual({ ideal: 'cam-1' })
    expect(cameraConstraints('cam-1', true)).toEqual({
      width: { ideal: 1280 },
      height: { ideal: 720 },
      frameRate: { ideal: 30 },
      deviceId: { exact: 'cam-1' },
    })
    expect(cameraConstraints(null, true)).not.toHaveProperty('deviceId')
  })

  it('keeps HD bitrates sensible', () => {
    expect(CAMERA_START_BITRATE_KBPS * 1000).toBeLessThan(CAMERA_MAX_BITRATE_BPS)
    expect(CAMERA_MAX_BITRATE_BPS).toBe(2_500_000)
  })
})

describe('microphoneConstraints', () => {
  it('turns on voice processing in mono', () => {
    expect(microphoneConstraints(null)).toEqual({ echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 })
  })

  it('uses ideal vs exact deviceId', () => {
    expect(microphoneConstraints('mic-7').deviceId).toEqual({ ideal: 'mic-7' })
    expect(microphoneConstraints('mic-7', true).deviceId).toEqual({ exact: 'mic-7' })
    expect(microphoneConstraints('mic-7', true).echoCancellation).toBe(true)
    expect(microphoneConstraints(null, true)).not.toHaveProperty('deviceId')
  })
})

describe('classifyMediaError', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'not-found'],
    ['OverconstrainedError', 'not-found'],
    ['NotReadableError', 'in-use'],
    ['AbortError', 'in-use'],
    ['TypeError', 'other'],
    ['InvalidStateError', 'other'],
  ])('DOMException %s -> %s', (name, expected) => {
    expect(classifyMediaError(new DOMException('getUserMedia failed', name))).toBe(expected)
  })

  it('classifies Error subclasses by name and anything else as other', () => {
    const err = new Error('x')
    err.name = 'NotReadableError'
    expect(classifyMediaError(err)).toBe('in-use')
    expect(classifyMediaError(new TypeError('bad constraints'))).toBe('other')
    expect(classifyMediaError('NotAllowedError')).toBe('other')
    expect(classifyMediaError(null)).toBe('other')
    expect(classifyMediaError(undefined)).toBe('other')
  })
})
