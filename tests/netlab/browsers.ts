import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from '@playwright/test'
import { WEBRTC_FIELD_TRIALS_ARG } from '../../electron/main/webrtc/fieldTrials'
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/chromium'
import type { NetLab } from './lab'
import type { Person } from './profiles'

export interface LabBrowser {
  person: Person
  context: BrowserContext
  close(): Promise<void>
}

/**
 * Which Duet the person runs: the desktop app, whose Chromium starts with the
 * app's WebRTC field trials (electron/main/webrtc/fieldTrials.ts), or the web
 * client in a plain browser (a student who joined from a link).
 */
export type Client = 'app' | 'browser'

export interface LaunchOptions {
  /** Default: 'app'. */
  client?: Client
  headless?: boolean
  /** Default: Debian's Chromium as is (the bench passes chromiumAsUser()). */
  executablePath?: string
  /** Runs in every page before the app (the bench's and tests' probes). */
  initScript?: string
}

/**
 * One person's browser for a lab lesson: a Chromium of its own (its own
 * profile folder) whose WebRTC sockets use only that person's UDP port range
 * (the `webrtc.udp_port_range` profile preference), which is how the relay
 * tells the tutor's packets from the student's.
 */
export async function launchLabBrowser(lab: NetLab, person: Person, options: LaunchOptions = {}): Promise<LabBrowser> {
  const dir = mkdtempSync(join(tmpdir(), `duet-netlab-${person}-`))
  const range = lab.portRange(person)
  mkdirSync(join(dir, 'Default'), { recursive: true })
  writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify({ webrtc: { udp_port_range: `${range.min}-${range.max}` } }))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: options.executablePath ?? chromiumExecutable(),
    args: (options.client ?? 'app') === 'app' ? [...CHROMIUM_ARGS, WEBRTC_FIELD_TRIALS_ARG] : CHROMIUM_ARGS,
    headless: options.headless ?? true,
    permissions: ['camera', 'microphone'],
    viewport: { width: 1280, height: 800 },
  })
  if (options.initScript) await context.addInitScript(options.initScript)
  return {
    person,
    context,
    close: async () => {
      await context.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
