import mitt from 'mitt'
import type { Awareness } from 'y-protocols/awareness'
import { AwarenessStateSchema, type AwarenessState } from '../../../shared/board/schema'

/** How long a laser point stays visible. */
export const LASER_FADE_MS = 1000

export interface LaserPoint {
  x: number
  y: number
  /** performance.now() of this side when the point was made. */
  t: number
}

export interface Peer {
  clientId: number
  user: AwarenessState['user']
  cursor: { page: string; x: number; y: number } | null
  laser: { page: string; pts: LaserPoint[] } | null
  view: AwarenessState['view'] | null
}

type LocalFields = Partial<Pick<AwarenessState, 'cursor' | 'laser' | 'view'>>

/**
 * Presence over Yjs awareness: cursors with names, the laser pointer and the
 * tutor's view for follow mode. Never stored in the document. Local changes
 * are sent at most once per animation frame.
 */
export class Presence {
  readonly events = mitt<{ change: void }>()
  private pending: LocalFields = {}
  private scheduled = false
  /** When this side received each peer's latest state. */
  private readonly arrivals = new Map<number, number>()
  /**
   * Only the other people's changes matter to listeners (they repaint, and
   * follow mode reads the tutor's view). Our own cursor and view change every
   * frame while drawing or panning; announcing those ran the UI's watchers
   * (and their state validation) once a frame for nothing.
   */
  private readonly onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const self = this.awareness.clientID
    if ([added, updated, removed].some((ids) => ids.some((id) => id !== self))) this.events.emit('change')
  }
  private readonly onUpdate = ({ added, updated }: { added: number[]; updated: number[] }) => {
    const now = performance.now()
    for (const id of [...added, ...updated]) this.arrivals.set(id, now)
  }

  constructor(
    private readonly awareness: Awareness,
    user: AwarenessState['user'],
  ) {
    awareness.setLocalState({ user, cursor: null, laser: null, view: null } satisfies AwarenessState)
    awareness.on('change', this.onChange)
    awareness.on('update', this.onUpdate)
  }

  set(fields: LocalFields): void {
    Object.assign(this.pending, fields)
    if (this.scheduled) return
    this.scheduled = true
    requestAnimationFrame(() => {
      this.scheduled = false
      const fields = this.pending
      this.pending = {}
      const current = this.awareness.getLocalState()
      if (current) this.awareness.setLocalState({ ...current, ...fields })
    })
  }

  /** Sends a laser trail as [x, y, ageMs, ...] so the other side can fade it without comparing clocks. */
  setLaser(page: string, pts: readonly LaserPoint[]): void {
    const now = performance.now()
    const recent = pts.filter((p) => now - p.t < LASER_FADE_MS).slice(-150)
    this.set({ laser: recent.length ? { page, pts: recent.flatMap((p) => [Math.round(p.x), Math.round(p.y), Math.round(now - p.t)]) } : null })
  }

  /** The other people here, validated (a malformed state is ignored). */
  peers(): Peer[] {
    const out: Peer[] = []
    const now = performance.now()
    this.awareness.getStates().forEach((raw, clientId) => {
      if (clientId === this.awareness.clientID) return
      const parsed = AwarenessStateSchema.safeParse(raw)
      if (!parsed.success) return
      const s = parsed.data
      let laser: Peer['laser'] = null
      if (s.laser) {
        const pts: LaserPoint[] = []
        for (let i = 0; i + 2 < s.laser.pts.length; i += 3) {
          pts.push({ x: s.laser.pts[i] as number, y: s.laser.pts[i + 1] as number, t: (this.arrivals.get(clientId) ?? now) - (s.laser.pts[i + 2] as number) })
        }
        laser = { page: s.laser.page, pts }
      }
      out.push({ clientId, user: s.user, cursor: s.cursor ?? null, laser, view: s.view ?? null })
    })
    return out
  }

  destroy(): void {
    this.awareness.off('change', this.onChange)
    this.awareness.off('update', this.onUpdate)
    this.events.all.clear()
  }
}
