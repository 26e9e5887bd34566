import { killWhileDrawing } from '../support/boardCrash'
import { preauthFlood } from '../support/boardFlood'
import { createLesson } from '../support/lessonApi'
import { RestartableServer } from '../support/restartableServer'
import { metric, type Metric } from './stats'

const MB = 1024 * 1024

/**
 * The board server under a crash and an attack, in a session server process
 * of its own with a data folder (no browser):
 * - `board_loss_on_server_kill_strokes`: a tutor draws without pause, the
 *   student's client watches, the server is killed (SIGKILL) the moment the
 *   student has seen N strokes and started again on the same folder; strokes
 *   the student saw that a fresh client then lacks (or holds less of). N
 *   varies per run; every other run pauses long enough for a save first.
 * - `server_rss_under_preauth_flood_mb`: the server's resident memory growth
 *   (peak minus before, sampled every 10 ms) while one socket that never
 *   authenticates sends 96 frames of 8 MiB.
 */
export async function benchBoardServer(runs: number): Promise<Record<string, Metric>> {
  const server = new RestartableServer()
  await server.start()
  try {
    const loss: number[] = []
    for (let i = 0; i < runs; i++) {
      const strokes = 15 + 5 * i
      const result = await killWhileDrawing(server, strokes, i % 2 === 1 ? { after: 8, ms: 3000 } : undefined)
      loss.push(result.missed)
      console.log(`  kill -9 after ${result.seen} strokes seen (${result.savedBeforeKill ? 'after a save' : 'no save yet'}): ${result.missed} missed, ${result.holdsAll ? 'every' : 'NOT every'} Yjs item kept`)
    }
    const growth: number[] = []
    const lesson = await createLesson(server)
    for (let i = 0; i < runs; i++) {
      const flood = await preauthFlood(server, lesson.lessonId)
      growth.push((flood.peakBytes - flood.baselineBytes) / MB)
      console.log(
        `  pre-auth flood: ${flood.framesSent} of 96 frames sent, socket ${flood.closed ? `closed by the server (${flood.closeCode})` : 'still open'}, RSS ${(flood.baselineBytes / MB).toFixed(0)} -> ${(flood.peakBytes / MB).toFixed(0)} MB`,
      )
    }
    return {
      board_loss_on_server_kill_strokes: metric(loss, 'strokes the other person saw that a fresh client lacks after kill -9 and a restart'),
      server_rss_under_preauth_flood_mb: metric(growth, 'MB of server RSS growth while one unauthenticated socket floods (96 x 8 MiB frames)'),
    }
  } finally {
    await server.dispose()
  }
}
