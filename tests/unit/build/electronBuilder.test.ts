import { join } from 'node:path'
import { DebugLogger } from 'builder-util'
// electron-builder's own loader and schema check (what `npm run dist` runs first); not in its public index.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js'
import { describe, expect, it } from 'vitest'
import { DEFAULT_UPDATE_FEED_URL } from '../../../electron/main/managed'
import { DEEP_LINK_SCHEME } from '../../../electron/main/services/DeepLinkService'
import { APP_BUNDLE_ID } from '../../../src/shared/policy/definition'

const root = join(import.meta.dirname, '../../..')

describe('electron-builder.yml (installers)', async () => {
  const config = await getConfig(root, 'electron-builder.yml', null)

  it('passes electron-builder\'s own schema check', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('sets the Electron fuses: no RunAsNode, NODE_OPTIONS or --inspect; cookie encryption; asar integrity and asar only', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    })
    expect(config.asar).not.toBe(false)
  })

  it('builds NSIS (per user or per machine) and an MSI with a fixed upgrade code; dmg + zip; AppImage, deb, rpm', () => {
    expect(config.win?.target).toEqual(['nsis', 'msi'])
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true })
    expect(config.msi?.perMachine).toBe(true)
    expect(config.msi?.upgradeCode).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/)
    expect(config.mac?.target).toEqual(['dmg', 'zip'])
    expect(Object.keys(config.mac?.extendInfo ?? {})).toEqual(expect.arrayContaining(['NSCameraUsageDescription', 'NSMicrophoneUsageDescription', 'NSAudioCaptureUsageDescription']))
    expect(config.linux?.target).toEqual(['AppImage', 'deb', 'rpm'])
  })

  it('registers duet:// everywhere, unpacks native modules, and agrees with the app on its id and update feed', () => {
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: [DEEP_LINK_SCHEME] })])
    expect(config.asarUnpack).toContain('**/*.node')
    expect(config.appId).toBe(APP_BUNDLE_ID)
    expect(config.publish).toMatchObject({ provider: 'generic', url: DEFAULT_UPDATE_FEED_URL })
  })
})
