import type { MediaPermissionKind, MediaPermissions, MediaPermissionStatus } from '../../../src/shared/screenShare'
import type { Logger } from '../../../src/shared/logger'

type OsStatus = 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown'

/** The slice of Electron's systemPreferences used here (macOS/Windows only in Electron). */
export interface SystemPreferencesLike {
  getMediaAccessStatus?(mediaType: 'microphone' | 'camera' | 'screen'): OsStatus
  askForMediaAccess?(mediaType: 'microphone' | 'camera'): Promise<boolean>
}

export interface PermissionsDeps {
  platform: NodeJS.Platform
  systemPreferences: SystemPreferencesLike
  /** shell.openExternal; only ever called with a URL from SETTINGS_PAGES. */
  openExternal(url: string): Promise<void>
  logger: Logger
}

const MAC_PRIVACY = 'x-apple.systempreferences:com.apple.preference.security?Privacy_'

/** The OS settings page that changes each permission; missing = the OS has none. */
export const SETTINGS_PAGES: Partial<Record<NodeJS.Platform, Partial<Record<MediaPermissionKind, string>>>> = {
  darwin: {
    camera: `${MAC_PRIVACY}Camera`,
    microphone: `${MAC_PRIVACY}Microphone`,
    screen: `${MAC_PRIVACY}ScreenCapture`,
  },
  // Windows has no per-app switch for screen capture: it is always allowed.
  win32: { camera: 'ms-settings:privacy-webcam', microphone: 'ms-settings:privacy-microphone' },
}

const KNOWN: readonly MediaPermissionStatus[] = ['granted', 'denied', 'restricted', 'not-determined', 'unknown']

/**
 * What the OS lets Duet use. macOS and Windows report per device through
 * systemPreferences; Linux has no per-app switch, so camera and microphone are
 * 'granted' (the browser-level handler still decides) and screen is 'unknown'
 * (the portal asks each time on Wayland).
 */
export class PermissionsService {
  constructor(private readonly deps: PermissionsDeps) {}

  /** Reads the statuses; on macOS asks for camera/microphone the first time ('not-determined'). */
  async get(): Promise<MediaPermissions> {
    const camera = await this.deviceStatus('camera')
    const microphone = await this.deviceStatus('microphone')
    return { camera, microphone, screen: this.status('screen'), canOpenSettings: this.deps.platform in SETTINGS_PAGES }
  }

  /** Screen-recording status without prompting (checked before listing sources). */
  screenStatus(): MediaPermissionStatus {
    return this.status('screen')
  }

  async openSettings(kind: MediaPermissionKind): Promise<void> {
    const url = SETTINGS_PAGES[this.deps.platform]?.[kind]
    if (!url) throw new Error(`There is no ${kind} settings page to open on ${this.deps.platform}`)
    await this.deps.openExternal(url)
  }

  private async deviceStatus(kind: 'camera' | 'microphone'): Promise<MediaPermissionStatus> {
    const status = this.status(kind)
    const ask = this.deps.systemPreferences.askForMediaAccess
    if (status !== 'not-determined' || this.deps.platform !== 'darwin' || !ask) return status
    try {
      // Shows the macOS consent dialog once; afterwards only System Settings can change it.
      await ask.call(this.deps.systemPreferences, kind)
    } catch (error) {
      this.deps.logger.warn('askForMediaAccess failed for', kind, error)
    }
    return this.status(kind)
  }

  private status(kind: MediaPermissionKind): MediaPermissionStatus {
    const { platform, systemPreferences } = this.deps
    if (platform !== 'darwin' && platform !== 'win32') return kind === 'screen' ? 'unknown' : 'granted'
    if (!systemPreferences.getMediaAccessStatus) return 'unknown'
    try {
      const status = systemPreferences.getMediaAccessStatus(kind)
      return KNOWN.includes(status) ? status : 'unknown'
    } catch (error) {
      this.deps.logger.warn('getMediaAccessStatus failed for', kind, error)
      return 'unknown'
    }
  }
}
