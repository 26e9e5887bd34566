import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isSpaRoute, resolveAppPath } from '../../../../../electron/main/protocol/appPath'

const ROOT = '/opt/duet/out/renderer'

describe('resolveAppPath', () => {
  it('maps app://duet/ paths into the renderer folder', () => {
    expect(resolveAppPath(ROOT, 'app://duet/')).toBe(`${ROOT}/index.html`)
    expect(resolveAppPath(ROOT, 'app://duet/index.html')).toBe(`${ROOT}/index.html`)
    expect(resolveAppPath(ROOT, 'app://duet/assets/index-abc.js?v=1#x')).toBe(`${ROOT}/assets/index-abc.js`)
    expect(resolveAppPath(ROOT, 'app://duet/assets/my%20font.woff2')).toBe(`${ROOT}/assets/my font.woff2`)
    expect(resolveAppPath(ROOT, 'app://duet/join/K7P2QXMA')).toBe(`${ROOT}/join/K7P2QXMA`)
  })

  it('refuses other schemes and hosts', () => {
    expect(resolveAppPath(ROOT, 'file:///etc/passwd')).toBeNull()
    expect(resolveAppPath(ROOT, 'app://other/index.html')).toBeNull()
    expect(resolveAppPath(ROOT, 'not a url')).toBeNull()
  })

  it('never leaves the root: dot segments, encoded, double-encoded and smuggled slashes', () => {
    const attempts = [
      'app://duet/../../../etc/passwd',
      'app://duet/%2e%2e/%2e%2e/etc/passwd',
      'app://duet/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      'app://duet/assets/..%2f..%2f..%2fetc/passwd',
      'app://duet/assets/.%2e/.%2e/secret',
      'app://duet/%252e%252e/x', // decodes once to a literal "%2e%2e" name: stays inside
    ]
    for (const url of attempts) {
      const resolved = resolveAppPath(ROOT, url)
      if (resolved !== null) expect(resolved.startsWith(`${ROOT}/`), url).toBe(true)
    }
    expect(resolveAppPath(ROOT, 'app://duet/assets/..%2f..%2f..%2fetc/passwd')).toBeNull()
    expect(resolveAppPath(ROOT, 'app://duet/%252e%252e/x')).toBe(`${ROOT}/%2e%2e/x`)
  })

  it('treats absolute-looking paths as relative to the root', () => {
    expect(resolveAppPath(ROOT, 'app://duet//etc/passwd')).toBe(`${ROOT}/etc/passwd`)
    expect(resolveAppPath(ROOT, 'app://duet/%2Fetc%2Fpasswd')).toBe(`${ROOT}/etc/passwd`)
  })

  it('refuses backslashes, drive letters and NUL', () => {
    for (const url of [
      'app://duet/..%5c..%5cWindows%5cwin.ini',
      'app://duet/assets%5c..%5c..%5csecret',
      'app://duet/C:/Windows/win.ini',
      'app://duet/C%3A%5CWindows',
      'app://duet/index.html%00.png',
      'app://duet/%E0%A4%A', // malformed escape
    ]) {
      expect(resolveAppPath(ROOT, url), url).toBeNull()
    }
  })

  it('applies the same rules with Windows paths', () => {
    const root = 'C:\\Program Files\\Duet\\resources\\app.asar\\out\\renderer'
    expect(resolveAppPath(root, 'app://duet/assets/a.js', path.win32)).toBe(`${root}\\assets\\a.js`)
    expect(resolveAppPath(root, 'app://duet/%2e%2e/%2e%2e/x', path.win32)).toBe(`${root}\\x`)
    expect(resolveAppPath(root, 'app://duet/..%5C..%5Cx', path.win32)).toBeNull()
    expect(resolveAppPath(root, 'app://duet/D:/x', path.win32)).toBeNull()
  })
})

describe('isSpaRoute', () => {
  it('is true for extension-less paths only', () => {
    expect(isSpaRoute('/r/join/K7P2QXMA')).toBe(true)
    expect(isSpaRoute('/r/assets/a.js')).toBe(false)
  })
})
