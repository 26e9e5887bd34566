import { mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { createInvokeHandlers, type HandlerDeps } from '../../electron/main/ipc/handlers'
import { IpcRouter, type InvokeEventLike } from '../../electron/main/ipc/router'
import { updateConfig, wireManagedChanges } from '../../electron/main/managed'
import { jsonPolicySource } from '../../electron/main/policy/sources'
import { AiSettingsService } from '../../electron/main/services/AiSettingsService'
import { LessonActivity } from '../../electron/main/services/LessonActivity'
import { PolicyService } from '../../electron/main/services/PolicyService'
import { SettingsService, type KeyValueStore } from '../../electron/main/services/SettingsService'
import { UpdateService } from '../../electron/main/services/UpdateService'
import { nodeTimers } from '../../electron/main/timers'
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventName } from '../../src/shared/ipc'
import { createTestUpdater, startFeed, type Feed, type TestUpdater } from '../support/updateFeed'

/**
 * The desktop app's main-process services (policy, settings, AI settings,
 * updates, lesson activity) running for real in the test process, behind
 * the real IPC router, with a page of the web client as their window:
 * `window.duet` in the page forwards to them, and their events come back.
 * What Electron itself adds (the window, the sandbox) is the boot test's
 * job; here a person uses Settings the way they would in the app.
 */
export class DesktopMain {
  readonly dir = mkdtempSync(join(tmpdir(), 'duet-desktop-e2e-'))
  readonly policyPath = join(this.dir, 'policy.json')
  readonly lesson = new LessonActivity(quiet)
  readonly policy: PolicyService
  readonly settings: SettingsService
  readonly updates: UpdateService
  private pages: Page[] = []

  private constructor(
    readonly feed: Feed,
    private readonly updater: TestUpdater,
  ) {
    this.policy = new PolicyService({
      sources: [jsonPolicySource(this.policyPath, { readFile: (p) => readFile(p), exportRegistryKey: async () => null, env: {}, username: 'tutor' })],
      logger: quiet,
      watchDir: (dir, onChange) => watch(dir, onChange),
      timers: nodeTimers,
      settleMs: 100,
    })
    this.settings = new SettingsService({ store: memoryStore(), logger: quiet, policy: this.policy })
    this.updates = new UpdateService({
      updater: updater.updater,
      currentVersion: '0.1.0',
      config: () => ({ ...updateConfig(this.settings.get(), this.policy.current()), feedUrl: feed.url }),
      canInstall: () => true,
      publish: (status) => this.emit('update:status', status),
      timers: nodeTimers,
      now: () => new Date(2026, 10, 23, 10, 0),
      logger: quiet,
      firstCheckMs: 3_600_000, // checks happen when the test presses the button
    })
  }

  static async start(): Promise<DesktopMain> {
    const main = new DesktopMain(await startFeed(), createTestUpdater('0.1.0'))
    await main.policy.refresh()
    main.policy.watch()
    main.updates.start()
    main.lesson.onChange((running) => main.updates.setLessonRunning(running))
    return main
  }

  /** An admin writes the school's policy.json (the service notices by itself). */
  writePolicy(policy: unknown): void {
    writeFileSync(this.policyPath, JSON.stringify(policy, null, 2))
  }

  /** Makes `page` this app's window: window.duet before any script runs, IPC to the services. */
  async attach(page: Page): Promise<void> {
    const aiSettings = new AiSettingsService({
      store: memoryStore(),
      secrets: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
      policy: this.policy,
      platform: 'linux',
      apply: async () => 'on-start',
      applies: () => 'on-start',
      logger: quiet,
    })
    const managed = wireManagedChanges({
      policy: this.policy,
      settings: this.settings,
      applyAi: async () => 'on-start',
      applyServerPolicy: async () => 'on-start',
      updates: this.updates,
      notify: { policy: (view) => this.emit('policy:changed', view), settings: (next) => this.emit('settings:changed', next) },
      logger: quiet,
    })
    const notHere = (): never => {
      throw new Error('not part of this test')
    }
    const handlers: Record<string, unknown> = {}
    const router = new IpcRouter({
      ipcMain: { handle: (channel, listener) => (handlers[channel] = listener), removeHandler: () => {} },
      isAppUrl: (url) => typeof url === 'string' && url.startsWith(new URL(page.url() === 'about:blank' ? 'http://127.0.0.1/' : page.url()).origin),
      logger: quiet,
    })
    router.register(
      createInvokeHandlers({
        settings: {
          get: () => this.settings.get(),
          update: async (patch) => {
            this.settings.update(patch)
            await managed.settingsChanged()
            return this.settings.get()
          },
        },
        // The app hosting lessons itself (LessonServerHost is tested against real servers in the unit
        // tests): lessons live on the e2e server, and "students on this network" get a LAN address.
        lessonServer: {
          ensure: async () => {
            const school = this.settings.get().serverUrl
            if (school) return { url: school, lanUrls: [], hosted: false }
            const origin = new URL(page.url()).origin
            return { url: origin, lanUrls: this.settings.get().lanAccess ? [origin.replace('127.0.0.1', '192.0.2.10')] : [], hosted: true }
          },
        },
        lesson: this.lesson,
        deepLinks: { rendererReady: () => [] },
        displayMedia: { answer: notHere, refresh: notHere },
        sharingBar: { setVisible: () => {} },
        permissions: { get: async () => ({ camera: 'granted', microphone: 'granted', screen: 'granted', canOpenSettings: false }), openSettings: notHere },
        appInfo: () => ({ version: '0.1.0', platform: 'linux', locale: 'en-US' }),
        openExternal: notHere,
        recording: { open: notHere, write: notHere, thumbnail: notHere, close: notHere },
        library: { list: async () => [], saveMeta: notHere, addMarker: notHere, addFile: notHere, rename: notHere, remove: notHere, reveal: notHere, export: notHere },
        aiSettings,
        policy: this.policy,
        updates: this.updates,
        // The page is always in front here: main would show nothing.
        notifications: { show: () => false },
      } as HandlerDeps),
    )
    await page.exposeBinding('__duetInvoke', (source, channel: string, args: unknown[]) => router.dispatch(channel, { senderFrame: { url: source.frame.url() } } satisfies InvokeEventLike, args))
    // The preload's window.duet, grouped the same way (electron/preload/bridge.ts), forwarding to the router.
    const channels = Object.entries(INVOKE_CHANNELS).map(([channel, spec]) => ({ channel, group: spec.group, method: spec.method }))
    const events = Object.keys(EVENT_CHANNELS)
    await page.addInitScript(
      ({ channels, events }) => {
        const listeners = new Map<string, Set<(payload: unknown) => void>>()
        const invoke = (window as unknown as { __duetInvoke: (c: string, a: unknown[]) => Promise<unknown> }).__duetInvoke
        const bridge: Record<string, unknown> = {
          appVersion: '0.1.0',
          on(event: string, listener: (payload: unknown) => void) {
            if (!events.includes(event)) throw new Error(`Unknown event: ${event}`)
            const set = listeners.get(event) ?? new Set()
            set.add(listener)
            listeners.set(event, set)
            return () => set.delete(listener)
          },
        }
        for (const { channel, group, method } of channels) {
          const methods = (bridge[group] ??= {}) as Record<string, unknown>
          methods[method] = (...args: unknown[]) => invoke(channel, args)
        }
        Object.assign(window, {
          duet: Object.freeze(bridge),
          __duetEmit: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
        })
      },
      { channels, events },
    )
    this.pages.push(page)
  }

  private emit(event: EventName, payload: unknown): void {
    for (const page of this.pages) {
      if (page.isClosed()) continue
      void page.evaluate(([e, p]) => (window as unknown as { __duetEmit?: (e: string, p: unknown) => void }).__duetEmit?.(e, p), [event, payload] as const).catch(() => {})
    }
  }

  async close(): Promise<void> {
    this.policy.dispose()
    this.updates.dispose()
    this.updater.cleanup()
    await this.feed.close()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

const quiet = { info() {}, warn() {}, error() {} }

function memoryStore(): KeyValueStore {
  const data = new Map<string, unknown>()
  return { get: (k) => structuredClone(data.get(k)), set: (k, v) => void data.set(k, structuredClone(v)) }
}
