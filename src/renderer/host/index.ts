import type { Host } from './Host'
import { WebHost } from './WebHost'
import { ElectronHost } from './ElectronHost'

/** Picks the host the renderer runs in: the desktop preload bridge, or a browser. */
export function createHost(): Host {
  return window.duet ? new ElectronHost(window.duet) : new WebHost()
}
