import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, sanitizeSettings, SettingsPatchSchema, type Settings } from '../../../src/shared/settings'

const GOOD: Settings = {
  locale: 'zh-CN',
  displayName: 'Ms Li',
  devices: { cameraId: 'cam-1', microphoneId: 'mic-1', speakerId: null },
  serverUrl: 'https://lessons.school.edu',
  tutorKey: 'school-key-for-tutors-0123456789',
  lanAccess: true,
  updateMode: 'manual',
  updateChannel: 'beta',
}

describe('sanitizeSettings', () => {
  it('keeps valid settings unchanged', () => {
    expect(sanitizeSettings(structuredClone(GOOD))).toEqual(GOOD)
  })

  it.each([[null], [undefined], ['settings'], [42], [true], [[]]])('returns defaults for %j', (raw) => {
    expect(sanitizeSettings(raw)).toEqual(DEFAULT_SETTINGS)
  })

  it('returns a fresh object, never the shared defaults', () => {
    const a = sanitizeSettings(null)
    a.devices.cameraId = 'changed'
    a.displayName = 'changed'
    expect(DEFAULT_SETTINGS.devices.cameraId).toBeNull()
    expect(DEFAULT_SETTINGS.displayName).toBe('')
    expect(sanitizeSettings(null)).toEqual(DEFAULT_SETTINGS)
  })

  it('falls back field by field', () => {
    expect(sanitizeSettings({ ...GOOD, locale: 'fr' })).toEqual({ ...GOOD, locale: null })
    expect(sanitizeSettings({ ...GOOD, locale: 'en' })).toEqual({ ...GOOD, locale: 'en' })
    expect(sanitizeSettings({ ...GOOD, displayName: 'x'.repeat(41) })).toEqual({ ...GOOD, displayName: '' })
    expect(sanitizeSettings({ ...GOOD, displayName: 7 })).toEqual({ ...GOOD, displayName: '' })
    expect(sanitizeSettings({ ...GOOD, displayName: 'x'.repeat(40) }).displayName).toBe('x'.repeat(40))
    expect(sanitizeSettings({ ...GOOD, serverUrl: 'not a url' })).toEqual({ ...GOOD, serverUrl: null })
    expect(sanitizeSettings({ ...GOOD, serverUrl: 'http://10.0.0.5:47300' }).serverUrl).toBe('http://10.0.0.5:47300')
    // Only an http(s) session server makes sense.
    for (const bad of ['ftp://files.school.edu', 'file:///etc/passwd', 'javascript:alert(1)', 'ws://h:1']) {
      expect(sanitizeSettings({ ...GOOD, serverUrl: bad }).serverUrl).toBeNull()
    }
    expect(sanitizeSettings({ ...GOOD, serverUrl: `https://h/${'a'.repeat(2048)}` })).toEqual({ ...GOOD, serverUrl: null })
  })

  it('falls back per device id', () => {
    expect(sanitizeSettings({ ...GOOD, devices: { cameraId: 5, microphoneId: 'mic-1', speakerId: 'spk' } }).devices).toEqual({
      cameraId: null,
      microphoneId: 'mic-1',
      speakerId: 'spk',
    })
    expect(sanitizeSettings({ ...GOOD, devices: { cameraId: 'c'.repeat(513), microphoneId: null } }).devices).toEqual({
      cameraId: null,
      microphoneId: null,
      speakerId: null,
    })
    expect(sanitizeSettings({ ...GOOD, devices: 'broken' }).devices).toEqual(DEFAULT_SETTINGS.devices)
    expect(sanitizeSettings({ ...GOOD, devices: null }).devices).toEqual(DEFAULT_SETTINGS.devices)
  })

  it('keeps good fields when every other field is corrupt', () => {
    const out = sanitizeSettings({ locale: 1, displayName: 'Wei', devices: { speakerId: 'spk-9' }, serverUrl: {}, extra: 'ignored' })
    expect(out).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Wei', devices: { cameraId: null, microphoneId: null, speakerId: 'spk-9' } })
    expect(out).not.toHaveProperty('extra')
  })
})

describe('SettingsPatchSchema', () => {
  it('accepts partial patches and rejects bad fields', () => {
    expect(SettingsPatchSchema.safeParse({ displayName: 'Li' }).success).toBe(true)
    expect(SettingsPatchSchema.safeParse({}).success).toBe(true)
    expect(SettingsPatchSchema.safeParse({ locale: 'de' }).success).toBe(false)
    expect(SettingsPatchSchema.safeParse({ serverUrl: 'nope' }).success).toBe(false)
    expect(SettingsPatchSchema.safeParse({ serverUrl: 'ftp://h' }).success).toBe(false)
    expect(SettingsPatchSchema.safeParse({ serverUrl: null }).success).toBe(true)
  })
})
