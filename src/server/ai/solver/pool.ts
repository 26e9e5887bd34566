import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { z } from 'zod'
import { SOLVER_WORKER_SOURCE } from './workerSource'

const SideTextSchema = z.object({
  ascii: z.string().max(2000),
  tex: z.string().max(4000),
  left: z.string().max(2000).optional(),
  right: z.string().max(2000).optional(),
  comparator: z.string().max(4).optional(),
})
const RawStepSchema = z.object({ change: z.string().regex(/^[A-Z_]{2,60}$/), before: SideTextSchema, after: SideTextSchema })
export type RawStep = z.infer<typeof RawStepSchema>
const ReplySchema = z.object({ id: z.number(), steps: z.array(RawStepSchema).max(200).optional(), error: z.string().optional() })

export type SolveJob = { kind: 'equation' | 'expression'; problem: string }
export type JobResult = { ok: true; steps: RawStep[] } | { ok: false; reason: 'timeout' | 'busy' | 'failed' }

const JOB_TIMEOUT_MS = 3000
/** Loading mathsteps (and mathjs 3) in a fresh thread; generous for a busy machine. */
const START_TIMEOUT_MS = 30_000
const IDLE_MS = 60_000
const MAX_QUEUE = 8

interface Pending {
  id: number
  job: SolveJob
  resolve(result: JobResult): void
}

/**
 * One warm worker thread runs mathsteps, one job at a time, so a slow or
 * looping input can never stall the session server's event loop: past
 * JOB_TIMEOUT_MS the worker is terminated and the next job gets a new one.
 */
export class SolverPool {
  private worker: Worker | null = null
  private ready = false
  private current: (Pending & { timer: NodeJS.Timeout }) | null = null
  private readonly queue: Pending[] = []
  private nextId = 1
  private idleTimer: NodeJS.Timeout | null = null
  private readonly paths: { mathstepsPath: string; printPath: string }

  constructor(private readonly timeoutMs = JOB_TIMEOUT_MS) {
    const mathstepsPath = createRequire(import.meta.url).resolve('mathsteps')
    this.paths = { mathstepsPath, printPath: path.join(path.dirname(mathstepsPath), 'lib', 'util', 'print.js') }
  }

  run(job: SolveJob): Promise<JobResult> {
    if (this.queue.length >= MAX_QUEUE) return Promise.resolve({ ok: false, reason: 'busy' })
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, job, resolve })
      this.pump()
    })
  }

  async close(): Promise<void> {
    for (const pending of this.queue.splice(0)) pending.resolve({ ok: false, reason: 'busy' })
    this.finish({ ok: false, reason: 'busy' })
    await this.stopWorker()
  }

  private pump(): void {
    if (this.current) return
    const next = this.queue.shift()
    if (!next) {
      this.idleTimer ??= setTimeout(() => void this.stopWorker(), IDLE_MS)
      this.idleTimer.unref()
      return
    }
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    const worker = this.ensureWorker()
    // Until the thread has loaded mathsteps only a generous start timeout runs: a slow start is not a slow input.
    this.current = { ...next, timer: setTimeout(() => this.giveUp(), START_TIMEOUT_MS) }
    if (this.ready) this.post(worker)
  }

  /** Sends the current job; its own clock starts now. */
  private post(worker: Worker): void {
    const current = this.current
    if (!current) return
    clearTimeout(current.timer)
    current.timer = setTimeout(() => this.giveUp(), this.timeoutMs)
    worker.postMessage({ id: current.id, ...current.job })
  }

  /** A runaway input (or a thread that never started): kill it; the next job starts a fresh one. */
  private giveUp(): void {
    this.finish({ ok: false, reason: 'timeout' })
    void this.stopWorker()
    this.pump()
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(SOLVER_WORKER_SOURCE, {
      eval: true,
      workerData: this.paths,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 192 },
    })
    worker.stdout.resume()
    worker.stderr.resume()
    worker.unref()
    worker.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'ready' in message) {
        if (this.worker !== worker) return
        this.ready = true
        this.post(worker)
        return
      }
      const reply = ReplySchema.safeParse(message)
      if (!reply.success || reply.data.id !== this.current?.id) return
      this.finish(reply.data.steps ? { ok: true, steps: reply.data.steps } : { ok: false, reason: 'failed' })
      this.pump()
    })
    const lost = (): void => {
      if (this.worker !== worker) return
      this.worker = null
      this.ready = false
      this.finish({ ok: false, reason: 'failed' })
      this.pump()
    }
    worker.on('error', lost)
    worker.on('exit', lost)
    this.worker = worker
    return worker
  }

  private finish(result: JobResult): void {
    const current = this.current
    if (!current) return
    clearTimeout(current.timer)
    this.current = null
    current.resolve(result)
  }

  private async stopWorker(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    const worker = this.worker
    this.worker = null
    this.ready = false
    if (worker) await worker.terminate()
  }
}
