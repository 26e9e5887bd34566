import * as Y from 'yjs'
import { roots } from './layout'

/** Undo steps one person can go back. */
export const UNDO_DEPTH = 200

/**
 * One person's undo history. Only transactions with `origin` (this person's
 * own edits) are tracked, so undo never removes the other person's work.
 * Capturing never merges by time: each action calls `begin()`, so a long
 * stroke is one step and two quick strokes are two.
 */
export class BoardUndo {
  readonly manager: Y.UndoManager

  constructor(doc: Y.Doc, origin: unknown) {
    const { order, pages } = roots(doc)
    this.manager = new Y.UndoManager([order, pages], {
      trackedOrigins: new Set([origin]),
      captureTimeout: Number.MAX_SAFE_INTEGER,
    })
    this.manager.on('stack-item-added', () => {
      const stack = this.manager.undoStack
      if (stack.length > UNDO_DEPTH) stack.splice(0, stack.length - UNDO_DEPTH)
    })
  }

  /** Starts a new undo step; call at the start of every user action. */
  begin(): void {
    this.manager.stopCapturing()
  }

  undo(): boolean {
    this.manager.stopCapturing()
    return this.manager.undo() !== null
  }

  redo(): boolean {
    this.manager.stopCapturing()
    return this.manager.redo() !== null
  }

  get canUndo(): boolean {
    return this.manager.undoStack.length > 0
  }

  get canRedo(): boolean {
    return this.manager.redoStack.length > 0
  }

  destroy(): void {
    this.manager.destroy()
  }
}
