import type { EffectivePolicy } from '../../src/shared/policy/parse'
import type { PolicyView } from '../../src/shared/policy/view'
import type { Settings } from '../../src/shared/settings'
import type { Logger } from '../../src/shared/logger'
import type { HostedServerPolicy } from './services/LessonServerHost'
import type { UpdateConfig } from './services/UpdateService'

/**
 * How settings and the school's policy reach the services that act on them,
 * kept out of index.ts so it is tested: what the hosted server is started
 * with, how updates run, and who hears about a change.
 */

/** The project's update feed (electron-builder.yml `publish`); a school's UpdateFeedUrl replaces it. */
export const DEFAULT_UPDATE_FEED_URL = 'https://updates.duet.invalid/desktop'

const UPDATE_POLICIES = ['UpdateMode', 'UpdateChannel', 'UpdateFeedUrl', 'UpdateInstallWindow'] as const

export function updateConfig(settings: Settings, policy: EffectivePolicy): UpdateConfig {
  const { enforced } = policy
  return {
    mode: settings.updateMode,
    channel: settings.updateChannel,
    feedUrl: enforced.UpdateFeedUrl ?? DEFAULT_UPDATE_FEED_URL,
    installWindow: enforced.UpdateInstallWindow ?? null,
    managedByPolicy: UPDATE_POLICIES.some((name) => enforced[name] !== undefined),
  }
}

export function hostedServerPolicy(settings: Settings, policy: EffectivePolicy): HostedServerPolicy {
  return {
    lanAccess: settings.lanAccess,
    iceServers: policy.enforced.IceServers ?? [],
    recording: policy.enforced.Recording ?? 'allowed',
  }
}

export interface ManagedWiringDeps {
  policy: { onChange(listener: () => void): () => void; view(): PolicyView }
  settings: { get(): Settings }
  /** The hosted server takes new AI settings (LessonServerHost.applyAi). */
  applyAi(): Promise<unknown>
  /** The hosted server takes network/TURN/recording changes (LessonServerHost.applyServerPolicy). */
  applyServerPolicy(): Promise<unknown>
  updates: { reconfigure(): void }
  /** Main → window events. */
  notify: { policy(view: PolicyView): void; settings(settings: Settings): void }
  logger: Logger
}

/**
 * Subscribes to policy changes; returns what to call after the user changed
 * settings (it resolves once the hosted server has taken them, so the
 * window's next ensureLessonServer sees e.g. the LAN addresses).
 */
export function wireManagedChanges(deps: ManagedWiringDeps): { settingsChanged(): Promise<void> } {
  const settle = (what: string, work: Promise<unknown>): Promise<void> =>
    work.then(
      () => {},
      (error: unknown) => deps.logger.error(`${what} failed:`, error),
    )
  const settingsChanged = (): Promise<void> => {
    deps.updates.reconfigure()
    return settle('applying server settings', deps.applyServerPolicy())
  }
  deps.policy.onChange(() => {
    deps.notify.policy(deps.policy.view())
    deps.notify.settings(deps.settings.get())
    void settle('applying AI policy', deps.applyAi())
    void settingsChanged()
  })
  return { settingsChanged }
}
