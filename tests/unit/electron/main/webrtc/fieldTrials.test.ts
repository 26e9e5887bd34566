import { describe, expect, it } from 'vitest'
import { WEBRTC_FIELD_TRIALS, WEBRTC_FIELD_TRIALS_ARG } from '../../../../../electron/main/webrtc/fieldTrials'

/** Chromium's --force-fieldtrials format: "Trial/Group/" pairs; WebRTC reads a group as comma-separated key:value parameters. */
function parse(value: string): Map<string, Map<string, string>> {
  expect(value.endsWith('/')).toBe(true)
  const parts = value.slice(0, -1).split('/')
  expect(parts.length % 2).toBe(0)
  const trials = new Map<string, Map<string, string>>()
  for (let i = 0; i < parts.length; i += 2) {
    const params = new Map<string, string>()
    for (const pair of parts[i + 1]!.split(',')) {
      const [key, val, ...rest] = pair.split(':')
      expect(rest).toEqual([])
      params.set(key!, val!)
    }
    trials.set(parts[i]!, params)
  }
  return trials
}

describe("the desktop app's WebRTC field trials", () => {
  it('is one well-formed trial for the loss-based bandwidth estimate', () => {
    const trials = parse(WEBRTC_FIELD_TRIALS)
    expect([...trials.keys()]).toEqual(['WebRTC-Bwe-LossBasedBweV2'])
    const params = trials.get('WebRTC-Bwe-LossBasedBweV2')!
    // Loss a 4G link loses whatever the rate (the lab's 4g-edge: 20 %) is within what may be the link's own.
    expect(Number(params.get('InherentLossUpperBoundOffset'))).toBeGreaterThan(0.2)
    expect(Number(params.get('InstantUpperBoundLossOffset'))).toBeGreaterThan(0.2)
    expect(Number(params.get('LossThresholdOfHighBandwidthPreference'))).toBeGreaterThan(0.2)
    expect(params.get('NotIncreaseIfInherentLossLessThanAverageLoss')).toBe('false')
    // The estimator stays on: a trial that disabled it would hand the estimate back to the older, harsher one.
    expect(params.has('Enabled')).toBe(false)
  })

  it('is passed to a Chromium outside Electron as one argument', () => {
    expect(WEBRTC_FIELD_TRIALS_ARG).toBe(`--force-fieldtrials=${WEBRTC_FIELD_TRIALS}`)
  })
})
