// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import VideoTile from '../../../../src/renderer/media/components/VideoTile.vue'
import { FakeTrack } from '../fakeMedia'

/** happy-dom's <video> cannot play a stream; the tile only needs it not to throw. */
beforeEach(() => {
  vi.useFakeTimers()
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue()
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

/** happy-dom's own MediaStream (a <video> takes no other), holding a fake camera track. */
function stream(track: FakeTrack): MediaStream {
  const s = new MediaStream()
  vi.spyOn(s, 'getVideoTracks').mockReturnValue([track as unknown as ReturnType<MediaStream['getVideoTracks']>[number]])
  return s
}

describe('VideoTile', () => {
  it('shows initials and the message instead of the video when its camera is off', () => {
    const wrapper = mount(VideoTile, { props: { stream: null, cover: { name: 'Sam Lee', message: 'Camera off' } } })
    expect(wrapper.classes()).toContain('covered')
    expect(wrapper.get('.video-avatar').text()).toBe('SL')
    expect(wrapper.get('[data-testid="video-cover"]').text()).toContain('Camera off')
    const chinese = mount(VideoTile, { props: { stream: null, cover: { name: '王小明', message: '摄像头已关闭' } } })
    expect(chinese.get('.video-avatar').text()).toBe('小明')
  })

  it('reports a camera that sends no frames for three seconds, and not before', async () => {
    const wrapper = mount(VideoTile, { props: { stream: stream(new FakeTrack('video')), watchStall: true } })
    await vi.advanceTimersByTimeAsync(2500)
    expect(wrapper.emitted('stalled')).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1000)
    expect(wrapper.emitted('stalled')).toEqual([[true]])
  })

  it('does not call an ended track or no track at all a stalled camera', async () => {
    const ended = new FakeTrack('video')
    ended.stop()
    const wrapper = mount(VideoTile, { props: { stream: stream(ended), watchStall: true } })
    const none = mount(VideoTile, { props: { stream: null, watchStall: true } })
    await vi.advanceTimersByTimeAsync(5000)
    expect(wrapper.emitted('stalled')).toBeUndefined()
    expect(none.emitted('stalled')).toBeUndefined()
  })
})
