import type { DuetBridge } from '../../shared/ipc'
import type { ParsedInvite } from '../../shared/invite'
import type { Settings, SettingsPatch } from '../../shared/settings'
import type { Host, LessonServerInfo } from './Host'

/** Host for the desktop app: everything goes through the preload's `window.duet`. */
export class ElectronHost implements Host {
  readonly kind = 'electron' as const

  constructor(private readonly bridge: DuetBridge) {}

  getSettings(): Promise<Settings> {
    return this.bridge.getSettings()
  }

  updateSettings(patch: SettingsPatch): Promise<Settings> {
    return this.bridge.updateSettings(patch)
  }

  lessonServer(): Promise<LessonServerInfo> {
    return this.bridge.ensureLessonServer()
  }

  /**
   * Subscribes first, then tells main the renderer is ready, so no invite falls
   * between the queue being drained and live events starting.
   */
  onInvite(listener: (invite: ParsedInvite) => void): () => void {
    let active = true
    const off = this.bridge.on('invite', listener)
    this.bridge.inviteReady().then(
      (queued) => {
        for (const invite of queued) if (active) listener(invite)
      },
      (error: unknown) => console.error('[duet] could not fetch queued invites', error),
    )
    return () => {
      active = false
      off()
    }
  }

  setLessonActive(active: boolean): Promise<void> {
    return this.bridge.setLessonActive(active)
  }

  appVersion(): string {
    return this.bridge.appVersion
  }

  /** Opens an http(s) link in the system browser. */
  openExternal(url: string): Promise<void> {
    return this.bridge.openExternal(url)
  }
}
