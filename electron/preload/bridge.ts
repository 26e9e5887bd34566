import { APP_VERSION_ARG, BRIDGE_GROUPS, EVENT_CHANNELS, INVOKE_CHANNELS, isEventName, type DuetBridge } from '../../src/shared/ipc'

type RendererListener = (event: unknown, ...args: unknown[]) => void

/** The slice of Electron's ipcRenderer the bridge uses (fakeable in tests). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: RendererListener): unknown
  removeListener(channel: string, listener: RendererListener): unknown
}

/** The version main passed via webPreferences.additionalArguments. */
export function appVersionFromArgv(argv: readonly string[]): string {
  const arg = argv.find((a) => a.startsWith(APP_VERSION_ARG))
  const value = arg?.slice(APP_VERSION_ARG.length) ?? ''
  return /^[\w.+-]{1,64}$/.test(value) ? value : '0.0.0'
}

/**
 * Builds `window.duet`: one method per INVOKE_CHANNELS entry, in its group
 * (`window.duet.library.list()`), and nothing else, plus `on` for the declared
 * events. The page never sees ipcRenderer or the IPC event object, only
 * validated payloads. Every level is frozen.
 */
export function buildBridge(ipc: IpcRendererLike, appVersion: string): DuetBridge {
  const groups = new Map<string, Record<string, unknown>>(BRIDGE_GROUPS.map((group) => [group, {}]))
  for (const [channel, spec] of Object.entries(INVOKE_CHANNELS)) {
    // Forward at most one argument; main validates it against the channel's schema.
    groups.get(spec.group)![spec.method] = (...args: unknown[]) => (args.length === 0 ? ipc.invoke(channel) : ipc.invoke(channel, args[0]))
  }
  const bridge: Record<string, unknown> = { appVersion }
  for (const [group, methods] of groups) bridge[group] = Object.freeze(methods)
  bridge.on = (event: unknown, listener: unknown): (() => void) => {
    if (typeof event !== 'string' || !isEventName(event)) throw new Error(`Unknown event: ${String(event)}`)
    if (typeof listener !== 'function') throw new TypeError('listener must be a function')
    const spec = EVENT_CHANNELS[event]
    const wrapped: RendererListener = (_event, payload) => {
      const parsed = spec.payload.safeParse(payload)
      if (parsed.success) (listener as (payload: unknown) => void)(parsed.data)
    }
    ipc.on(spec.channel, wrapped)
    let subscribed = true
    return () => {
      if (!subscribed) return
      subscribed = false
      ipc.removeListener(spec.channel, wrapped)
    }
  }
  return Object.freeze(bridge) as unknown as DuetBridge
}
