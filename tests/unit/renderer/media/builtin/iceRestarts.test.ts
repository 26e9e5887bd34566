import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ANSWERER_WAIT_MS, ICE_DISCONNECTED_GRACE_MS, IceRestarts } from '../../../../../src/renderer/media/builtin/iceRestarts'

function restarts(offerer: boolean, tuned = true) {
  const restart = vi.fn()
  return { policy: new IceRestarts({ offerer, tuned, restart }), restart }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('IceRestarts', () => {
  it('the offering side restarts a failed path at once, a disconnected one after the grace period unless it recovered', () => {
    const { policy, restart } = restarts(true)
    policy.onIceState('failed')
    expect(restart).toHaveBeenCalledTimes(1)
    policy.onIceState('disconnected')
    vi.advanceTimersByTime(ICE_DISCONNECTED_GRACE_MS - 100)
    policy.onIceState('connected')
    vi.advanceTimersByTime(10_000)
    expect(restart).toHaveBeenCalledTimes(1)
    policy.onIceState('disconnected')
    vi.advanceTimersByTime(ICE_DISCONNECTED_GRACE_MS)
    expect(restart).toHaveBeenCalledTimes(2)
    // One restart per breakage: a path that stays down is not restarted again until ICE says more.
    vi.advanceTimersByTime(60_000)
    expect(restart).toHaveBeenCalledTimes(2)
  })

  it('untuned (plain WebRTC): only a failed path is restarted', () => {
    const { policy, restart } = restarts(true, false)
    policy.onIceState('disconnected')
    vi.advanceTimersByTime(60_000)
    expect(restart).not.toHaveBeenCalled()
    policy.onIceState('failed')
    expect(restart).toHaveBeenCalledTimes(1)
  })

  it('the answering side leaves restarts to the offering side: its own comes only if theirs has not, and each offer of theirs starts the wait again', () => {
    const { policy, restart } = restarts(false)
    policy.onIceState('disconnected')
    // The offering side's grace runs out about now: its restart arrives as an offer.
    vi.advanceTimersByTime(ICE_DISCONNECTED_GRACE_MS + 100)
    expect(restart).not.toHaveBeenCalled()
    policy.onRemoteOffer()
    vi.advanceTimersByTime(ICE_DISCONNECTED_GRACE_MS + ANSWERER_WAIT_MS - 100)
    expect(restart).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(restart).toHaveBeenCalledTimes(1)
    // Failed: no grace, but still the offering side's turn first.
    policy.onIceState('failed')
    expect(restart).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(ANSWERER_WAIT_MS)
    expect(restart).toHaveBeenCalledTimes(2)
    // Back before the wait is over, or stopped: nothing.
    policy.onIceState('disconnected')
    policy.onIceState('connected')
    policy.onRemoteOffer()
    vi.advanceTimersByTime(60_000)
    policy.onIceState('failed')
    policy.stop()
    vi.advanceTimersByTime(60_000)
    expect(restart).toHaveBeenCalledTimes(2)
  })

  it('a network back on this device: the offering side restarts at once; the answering side waits for their restart and makes its own only if the path is still down', () => {
    const offering = restarts(true)
    offering.policy.onNetworkBack(() => true)
    expect(offering.restart).toHaveBeenCalledTimes(1)

    const { policy, restart } = restarts(false)
    let down = true
    policy.onNetworkBack(() => down)
    vi.advanceTimersByTime(ANSWERER_WAIT_MS - 100)
    expect(restart).not.toHaveBeenCalled()
    // Their restart arrives: the wait starts again from it.
    policy.onRemoteOffer()
    vi.advanceTimersByTime(ANSWERER_WAIT_MS - 100)
    expect(restart).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(restart).toHaveBeenCalledTimes(1)
    // The path came back by itself meanwhile (ICE never left "connected"): nothing to restart.
    policy.onNetworkBack(() => down)
    down = false
    vi.advanceTimersByTime(60_000)
    expect(restart).toHaveBeenCalledTimes(1)
    // ICE says the path is back: the wait is over.
    down = true
    policy.onNetworkBack(() => down)
    policy.onIceState('connected')
    vi.advanceTimersByTime(60_000)
    expect(restart).toHaveBeenCalledTimes(1)
  })
})
