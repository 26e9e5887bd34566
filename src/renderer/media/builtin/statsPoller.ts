/** One entry of a getStats report, as the tuner and the room's summaries read it. */
export type StatsEntry = Record<string, unknown> & { type: string }

/** Tuned: getStats this often, so a dead path is noticed within about two seconds (PathWatch)... */
const TUNED_STATS_MS = 500
/** ...and this often while it is dead, so its return is noticed at once. */
const DEAD_PATH_STATS_MS = 250
/** The room's figures (quality indicator) are refreshed this often. */
export const ROOM_STATS_MS = 2000

export interface StatsPollerOptions {
  /** How often the room's figures are refreshed, ms (ROOM_STATS_MS unless said). */
  roomEveryMs?: number
  /** The network tuner reads every report: poll at its pace, faster while `pathDead()`. */
  tuned: boolean
  pathDead: () => boolean
  /** Each report's entries; `forRoom` on the ones at the room's pace. Not called once stopped. */
  onReport: (entries: StatsEntry[], forRoom: boolean) => void
}

/**
 * Polls one peer connection's getStats until stopped, at the tuner's pace
 * when tuned and the room's otherwise. The next poll is timed from the end
 * of the last one, so reports never overlap on a busy machine, and a report
 * that arrives after stop() is dropped.
 */
export function pollStats(pc: RTCPeerConnection, options: StatsPollerOptions): { stop(): void } {
  const roomEvery = options.roomEveryMs ?? ROOM_STATS_MS
  const every = options.tuned ? Math.min(TUNED_STATS_MS, roomEvery) : roomEvery
  let roomAt = -Infinity
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | null = null
  const next = (): void => {
    if (!stopped) timer = setTimeout(tick, options.pathDead() ? DEAD_PATH_STATS_MS : every)
  }
  const tick = (): void => {
    pc.getStats()
      .then((report) => {
        if (stopped) return
        const now = performance.now()
        const forRoom = now - roomAt >= roomEvery - every / 2
        if (forRoom) roomAt = now
        options.onReport([...(report as unknown as Map<string, StatsEntry>).values()], forRoom)
      })
      .catch(() => {})
      .finally(next)
  }
  next()
  return {
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}
