import { describe, expect, it } from 'vitest'
import { secureWebPreferences } from '../../../../../electron/main/security/webPreferences'
import { SHARING_BAR_ROLE_ARG } from '../../../../../src/shared/ipc'

describe('secureWebPreferences', () => {
  it('locks every window down', () => {
    expect(secureWebPreferences('/p.cjs', '1.0.0')).toMatchObject({
      preload: '/p.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      additionalArguments: ['--duet-app-version=1.0.0'],
    })
  })

  it('passes extra arguments (the sharing bar role) to the preload', () => {
    expect(secureWebPreferences('/p.cjs', '1.0.0', [SHARING_BAR_ROLE_ARG]).additionalArguments).toEqual([
      '--duet-app-version=1.0.0',
      '--duet-window=sharing-bar',
    ])
  })
})
