import { readFileSync } from 'node:fs'
import WebSocket from 'ws'
import { BOARD_PATH } from '../../src/shared/board/limits'
import { updateFrame } from './boardClient'

/** Resident memory of a process (Linux /proc), in bytes. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`no VmRSS for process ${pid}`)
  return Number(match[1]) * 1024
}

export interface FloodResult {
  /** Server RSS just before the flood. */
  baselineBytes: number
  /** Highest server RSS seen from the first frame until a second after the last. */
  peakBytes: number
  /** Frames handed to the socket before it closed. */
  framesSent: number
  /** The server closed the socket (and the close code the client saw). */
  closed: boolean
  closeCode: number | null
}

/**
 * One socket that never authenticates sends `frames` board updates of
 * `frameBytes` each for `lessonId` as fast as the connection takes them (the
 * outside review's attack: 96 frames of 8 MiB), while the server's memory
 * is sampled every 10 ms.
 */
export async function preauthFlood(server: { port: number; pid: number }, lessonId: string, frames = 96, frameBytes = 8 * 1024 * 1024): Promise<FloodResult> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${BOARD_PATH}`, { perMessageDeflate: false })
  let closeCode: number | null = null
  const closed = new Promise<void>((resolve) =>
    ws.once('close', (code) => {
      closeCode = code
      resolve()
    }),
  )
  ws.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const baselineBytes = rssBytes(server.pid)
  let peakBytes = baselineBytes
  const sampler = setInterval(() => {
    try {
      peakBytes = Math.max(peakBytes, rssBytes(server.pid))
    } catch {
      // the process is gone
    }
  }, 10)
  const frame = updateFrame(lessonId, new Uint8Array(frameBytes - 64))
  let framesSent = 0
  // Read before our own terminate() closes the socket from this side.
  let byServer: number | null = null
  try {
    for (; framesSent < frames && ws.readyState === WebSocket.OPEN; framesSent++) {
      const sent = await new Promise<boolean>((resolve) => ws.send(frame, (err) => resolve(!err)))
      if (!sent) break
    }
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))])
    byServer = closeCode
  } finally {
    clearInterval(sampler)
    ws.terminate()
  }
  return { baselineBytes, peakBytes, framesSent, closed: byServer !== null, closeCode: byServer }
}
