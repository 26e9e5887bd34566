import { describe, expect, it } from 'vitest'
import { captureMode, chromiumFeatures, isWayland, systemAudioSupported } from '../../../../../electron/main/capture/captureMode'
import { MAX_SOURCES, nativeSourceKey, toScreenSources, type ImageLike } from '../../../../../electron/main/capture/screenSources'

const image = (dataUrl: string, jpeg?: Uint8Array): ImageLike => ({ toDataURL: () => dataUrl, toJPEG: jpeg ? () => jpeg : undefined })
const PNG = 'data:image/png;base64,iVBORw0KGgo='

describe('toScreenSources', () => {
  it('compares windows by native handle, whatever the last id part says', () => {
    expect(nativeSourceKey('window:1234:0')).toBe('window:1234')
    expect(nativeSourceKey('window:1234:1')).toBe('window:1234')
    const out = toScreenSources(
      [
        { id: 'window:1234:1', name: 'Duet', thumbnail: image(PNG), appIcon: null },
        { id: 'window:99:0', name: 'Browser', thumbnail: image(PNG), appIcon: null },
      ],
      ['window:1234:0', ''],
    )
    expect(out.map((s) => s.id)).toEqual(['window:99:0'])
  })

  it('puts screens first, keeps OS order otherwise, and gives screens no app icon', () => {
    const out = toScreenSources(
      [
        { id: 'window:2:0', name: 'B', thumbnail: image(PNG), appIcon: image(PNG) },
        { id: 'screen:0:0', name: 'Screen 1', thumbnail: image(PNG), appIcon: image(PNG) },
        { id: 'window:1:0', name: 'A', thumbnail: image(PNG), appIcon: null },
        { id: 'screen:1:0', name: 'Screen 2', thumbnail: image(PNG), appIcon: null },
      ],
      [],
    )
    expect(out.map((s) => [s.id, s.kind])).toEqual([
      ['screen:0:0', 'screen'],
      ['screen:1:0', 'screen'],
      ['window:2:0', 'window'],
      ['window:1:0', 'window'],
    ])
    expect(out[0]?.appIcon).toBeNull()
    expect(out[2]?.appIcon).toBe(PNG)
  })

  it('bounds every field so one odd window never breaks the picker event', () => {
    const huge = `data:image/png;base64,${'A'.repeat(600 * 1024)}`
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xd9])
    const out = toScreenSources(
      [
        { id: 'window:1:0', name: 'x'.repeat(400), thumbnail: image(huge, jpeg), appIcon: image(huge) },
        { id: 'window:2:0', name: 'no thumb', thumbnail: null, appIcon: { toDataURL: () => PNG, isEmpty: () => true } },
        { id: 'window:3:0', name: 'bad icon', thumbnail: image(PNG), appIcon: image('javascript:alert(1)') },
        { id: 'tab:5', name: 'not a screen or window', thumbnail: image(PNG), appIcon: null },
        { id: `window:${'9'.repeat(300)}:0`, name: 'id too long', thumbnail: image(PNG), appIcon: null },
      ],
      [],
    )
    expect(out.map((s) => s.id)).toEqual(['window:1:0', 'window:2:0', 'window:3:0'])
    expect(out[0]?.name).toHaveLength(256)
    expect(out[0]?.thumbnail).toBe(`data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`)
    expect(out[0]?.appIcon).toBeNull()
    expect(out[1]?.thumbnail).toBe('data:image/png;base64,')
    expect(out[1]?.appIcon).toBeNull()
    expect(out[2]?.appIcon).toBeNull()
  })

  it('keeps at most the schema limit of sources', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ id: `window:${i}:0`, name: `W${i}`, thumbnail: image(PNG), appIcon: null }))
    expect(toScreenSources(many, [])).toHaveLength(MAX_SOURCES)
  })
})

describe('capture mode', () => {
  it('uses the system portal only on Linux with a Wayland session', () => {
    expect(captureMode({ platform: 'linux', env: { XDG_SESSION_TYPE: 'wayland' } })).toBe('portal')
    expect(isWayland({ platform: 'linux', env: { XDG_SESSION_TYPE: 'Wayland' } })).toBe(true)
    expect(captureMode({ platform: 'linux', env: { XDG_SESSION_TYPE: 'x11' } })).toBe('duet-picker')
    expect(captureMode({ platform: 'linux', env: {} })).toBe('duet-picker')
    expect(captureMode({ platform: 'darwin', env: { XDG_SESSION_TYPE: 'wayland' } })).toBe('duet-picker')
    expect(captureMode({ platform: 'win32', env: {} })).toBe('duet-picker')
  })

  it('enables PipeWire capture on Linux only', () => {
    expect(chromiumFeatures({ platform: 'linux', env: {} })).toEqual(['WebRTCPipeWireCapturer'])
    expect(chromiumFeatures({ platform: 'win32', env: {} })).toEqual([])
    expect(chromiumFeatures({ platform: 'darwin', env: {} })).toEqual([])
  })

  it('offers system audio on Windows only', () => {
    expect(systemAudioSupported('win32')).toBe(true)
    expect(systemAudioSupported('darwin')).toBe(false)
    expect(systemAudioSupported('linux')).toBe(false)
  })
})
