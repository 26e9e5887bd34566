import type { Page } from '@playwright/test'
import { openRoomAsTutor, studentAtDeviceCheck, waitForMarkEpoch, WAIT_MS } from '../bench/lessonPair'
import { launchLabBrowser, type LabBrowser, type LaunchOptions } from './browsers'
import type { NetLab } from './lab'
import { PROBE_SCRIPT } from './probe'
import type { Person } from './profiles'

export interface LabLesson {
  pages: Record<Person, Page>
  /** Epoch ms when both people saw the other's first frame. */
  startedAt: number
  close(): Promise<void>
}

/**
 * A two-person lesson through the lab: each person in their own browser, the
 * tutor starts the lesson on `origin` (a lab server), the student follows the
 * invite; resolves once both see the other's camera. Both pages carry the
 * probe (probe.ts), then `options.initScript` if given.
 */
export async function startLabLesson(
  lab: NetLab,
  origin: string,
  options: LaunchOptions & { names?: Record<Person, string>; /** Where the student reaches the server (a proxy a test can cut); `origin` if not given. */ studentOrigin?: string } = {},
): Promise<LabLesson> {
  const initScript = options.initScript ? `${PROBE_SCRIPT};\n${options.initScript}` : PROBE_SCRIPT
  const browsers: LabBrowser[] = []
  const close = async () => {
    for (const b of browsers.splice(0)) await b.close().catch(() => {})
  }
  lab.newLesson()
  try {
    const tutorBrowser = await launchLabBrowser(lab, 'tutor', { ...options, initScript })
    browsers.push(tutorBrowser)
    const studentBrowser = await launchLabBrowser(lab, 'student', { ...options, initScript })
    browsers.push(studentBrowser)
    const tutor = await tutorBrowser.context.newPage()
    const invite = await openRoomAsTutor(tutor, origin, options.names?.tutor)
    const student = await studentBrowser.context.newPage()
    const studentInvite = options.studentOrigin ? invite.replace(new URL(invite).origin, options.studentOrigin) : invite
    await studentAtDeviceCheck(student, studentInvite, options.names?.student)
    await student.getByTestId('join-now').click({ timeout: WAIT_MS })
    // Through a lossy, slow link the first frame can take a while; a lab lesson allows a minute.
    const [a, b] = await Promise.all([firstFrame(tutor), firstFrame(student)])
    return { pages: { tutor, student }, startedAt: Math.max(a, b), close }
  } catch (error) {
    await close()
    throw error
  }
}

async function firstFrame(page: Page): Promise<number> {
  try {
    return await waitForMarkEpoch(page, 'duet:remote-first-frame', 60_000)
  } catch {
    const state = await page
      .evaluate(`JSON.stringify(window.__netlab.pcs.map((pc) => [pc.signalingState, pc.iceConnectionState, pc.connectionState, pc.iceGatheringState]))`)
      .catch(() => 'page gone')
    const banner = await page.getByTestId('room-banner').textContent({ timeout: 1000 }).catch(() => '')
    throw new Error(`no remote frame within a minute on ${page.url()} (peer connections ${state}; banner "${banner}")`)
  }
}
