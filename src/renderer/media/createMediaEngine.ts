import type { MediaEngineKind } from '../../shared/lesson/api'
import { BuiltinEngine } from './builtin/BuiltinEngine'
import type { MediaEngine, MediaEngineOptions } from './MediaEngine'

/** The server chose an engine this app does not carry. */
export class MediaEngineUnavailableError extends Error {
  constructor(readonly kind: MediaEngineKind) {
    super(`The ${kind} media engine is not available in this app`)
    this.name = 'MediaEngineUnavailableError'
  }
}

/**
 * The one place that turns the server's engine choice into an engine
 * (DESIGN.md "Media engines"). The Agora engine plugs in here.
 */
export function createMediaEngine(kind: MediaEngineKind, options: MediaEngineOptions): MediaEngine {
  switch (kind) {
    case 'builtin':
      return new BuiltinEngine(options)
    case 'agora':
      throw new MediaEngineUnavailableError(kind)
  }
}
