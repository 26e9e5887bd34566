import type { Document } from '@hocuspocus/server'
import type { BoardServerMessage } from '../../shared/board/schema'
import type { BoardPrincipal } from './auth'
import type { BoardStore } from './store'

/** Context Hocuspocus keeps for each board connection (set by onAuthenticate). */
export interface BoardConnectionContext {
  principal: BoardPrincipal
}

export function principalOf(context: unknown): BoardPrincipal | null {
  const principal = (context as Partial<BoardConnectionContext> | null)?.principal
  return principal && typeof principal.role === 'string' ? principal : null
}

export const stateMessage = (locked: boolean): string => JSON.stringify({ type: 'board-state', locked } satisfies BoardServerMessage)

/**
 * The student lock: when on, every student connection of the lesson is
 * read-only in Hocuspocus, so their updates are never applied whatever their
 * client sends. It is lesson state with authority, so it lives on the server
 * (persisted beside the board), not in the CRDT the student could write to.
 */
export class BoardLocks {
  private readonly cache = new Map<string, boolean>()

  constructor(private readonly store: BoardStore) {}

  isLocked(lessonId: string): boolean {
    let locked = this.cache.get(lessonId)
    if (locked === undefined) {
      locked = this.store.loadLocked(lessonId)
      this.cache.set(lessonId, locked)
    }
    return locked
  }

  /** Applies the lock to live connections at once and tells everyone. */
  set(document: Document, locked: boolean): void {
    this.cache.set(document.name, locked)
    this.store.saveLocked(document.name, locked)
    for (const connection of document.getConnections()) {
      if (principalOf(connection.context)?.role === 'student') connection.readOnly = locked
    }
    document.broadcastStateless(stateMessage(locked))
  }

  forget(lessonId: string): void {
    this.cache.delete(lessonId)
  }
}
