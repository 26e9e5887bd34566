import { mergePolicySources, NO_POLICY, type EffectivePolicy, type ParsedPolicySource, type PolicyProblem } from '../../../src/shared/policy/parse'
import { policyView, type PolicyView } from '../../../src/shared/policy/view'
import type { Logger } from '../../../src/shared/logger'
import type { PolicySource } from '../policy/sources'
import type { Timers } from '../timers'

export interface PolicyServiceDeps {
  /** Strongest first (see policySources). */
  sources: readonly PolicySource[]
  logger: Logger
  /** fs.watch on a folder; throws when it cannot be watched (e.g. it does not exist), then polling covers it. */
  watchDir(dir: string, onChange: () => void): { close(): void }
  timers: Timers
  /** Everything is read again this often (the registry cannot be watched without a native addon). */
  pollMs?: number
  /** Editors and profile installers write in several steps: one read after they settle. */
  settleMs?: number
}

export const POLICY_POLL_MS = 10 * 60_000
const SETTLE_MS = 500

/**
 * The managed policy in force on this computer: every source read, each
 * value judged on its own, merged strongest first. Sources are watched (and
 * polled) so an admin's change applies without a restart; listeners hear
 * about every change. A broken value is dropped with a problem that Settings
 * shows and the log records once.
 */
export class PolicyService {
  private policy: EffectivePolicy = NO_POLICY
  private fingerprint = JSON.stringify(NO_POLICY)
  private readonly listeners = new Set<(policy: EffectivePolicy) => void>()
  private readonly logged = new Set<string>()
  private watchers: { close(): void }[] = []
  private pollHandle: unknown = null
  private settleHandle: unknown = null
  private reading: Promise<boolean> | null = null
  private again = false
  /** Problems found while applying a value (a RecordingFolder that cannot be written). */
  private readonly noted: PolicyProblem[] = []

  constructor(private readonly deps: PolicyServiceDeps) {}

  current(): EffectivePolicy {
    return this.policy
  }

  view(): PolicyView {
    return policyView(this.policy)
  }

  /**
   * A value that read fine but could not be applied: shown with the other
   * problems from now on (until the app restarts and tries again).
   */
  note(problem: PolicyProblem): void {
    this.noted.push(problem)
    this.policy = { ...this.policy, problems: [problem, ...this.policy.problems] }
    this.fingerprint = JSON.stringify(this.policy)
    this.log(problem)
  }

  private log(problem: PolicyProblem): void {
    const line = `policy: ${problem.source}${problem.policy ? ` ${problem.policy}` : ''}: ${problem.message}`
    if (!this.logged.has(line)) this.deps.logger.warn(line)
    this.logged.add(line)
  }

  /** Called after every change of the effective policy; returns the unsubscribe function. */
  onChange(listener: (policy: EffectivePolicy) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Reads every source again; true when what is in force changed. Calls
   * during a read are folded into one more read after it.
   */
  refresh(): Promise<boolean> {
    if (this.reading) {
      this.again = true
      return this.reading
    }
    this.reading = this.readAll().finally(() => {
      this.reading = null
      if (this.again) {
        this.again = false
        void this.refresh()
      }
    })
    return this.reading
  }

  /** Starts watching the sources' folders and polling. */
  watch(): void {
    const dirs = [...new Set(this.deps.sources.flatMap((s) => s.watchDirs))]
    for (const dir of dirs) {
      try {
        this.watchers.push(this.deps.watchDir(dir, () => this.changedOnDisk()))
      } catch {
        // Not there (no policy deployed yet): the poll will see it appear.
      }
    }
    this.pollHandle = this.deps.timers.setInterval(() => void this.refresh(), this.deps.pollMs ?? POLICY_POLL_MS)
  }

  dispose(): void {
    for (const watcher of this.watchers) watcher.close()
    this.watchers = []
    if (this.pollHandle !== null) this.deps.timers.clearInterval(this.pollHandle)
    if (this.settleHandle !== null) this.deps.timers.clearTimeout(this.settleHandle)
    this.pollHandle = this.settleHandle = null
  }

  private changedOnDisk(): void {
    if (this.settleHandle !== null) this.deps.timers.clearTimeout(this.settleHandle)
    this.settleHandle = this.deps.timers.setTimeout(() => {
      this.settleHandle = null
      void this.refresh()
    }, this.deps.settleMs ?? SETTLE_MS)
  }

  private async readAll(): Promise<boolean> {
    const read = await Promise.all(
      this.deps.sources.map(async (source): Promise<ParsedPolicySource | null> => {
        try {
          return await source.read()
        } catch (error) {
          const problem: PolicyProblem = { source: source.label, policy: null, message: `cannot be read (${error instanceof Error ? error.message : String(error)}); nothing in it is applied` }
          return { source: source.label, enforced: {}, recommended: {}, problems: [problem] }
        }
      }),
    )
    const next = mergePolicySources(read.filter((s): s is ParsedPolicySource => s !== null), this.noted)
    for (const problem of next.problems) this.log(problem)
    const fingerprint = JSON.stringify(next)
    if (fingerprint === this.fingerprint) return false
    this.policy = next
    this.fingerprint = fingerprint
    this.deps.logger.info(`policy: ${Object.keys(next.enforced).length} enforced, ${Object.keys(next.recommended).length} recommended from ${next.sources.join(', ') || 'nowhere'}`)
    for (const listener of this.listeners) {
      try {
        listener(next)
      } catch (error) {
        this.deps.logger.error('policy change listener failed:', error)
      }
    }
    return true
  }
}
