import type { DuetBridge } from '../../shared/ipc'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    duet?: DuetBridge
  }
}

export {}
