import { threadIdOf } from '../../shared/chat/thread'
import { forgetPracticePass, loadPracticePass } from '../ai/practicePass'
import { forgetKeys } from '../recording/webLibraryKeys'
import { useKeptCodeUnreadStore } from '../chat/stores/keptCodeUnreadStore'
import { useThreadsStore } from '../chat/stores/threadsStore'
import { forgetUnsentText, unsentKeys } from '../ui/unsentText'
import { forgetCode, type KeptCode } from './myCodes'
import { MyRecordApi } from './recordsApi'

/**
 * "Remove from this device": a student on a shared computer (a school's
 * lab, a family's laptop) takes away everything this device keeps that
 * would let the next person in as them — their personal link, what they had
 * written to their tutor and not sent, their Ask AI practice pass on that
 * server (their practice counts in their record) and its unsent question,
 * the library keys of their lessons (`lessonIds`, from their record: the
 * recordings of them), and the live count of their tutor's messages. Their
 * record on the server is untouched: the link from their tutor opens it again.
 */
export function forgetKeptLink(kept: Pick<KeptCode, 'server' | 'code'>, lessonIds: readonly string[], storage: Storage = localStorage): void {
  const entry = forgetCode(kept.code, storage)
  const server = entry?.server ?? kept.server
  const servers = serverForms(server)
  const places = servers.map((s) => unsentKeys.aiPractice(s))
  if (entry?.studentId) places.push(unsentKeys.chatThread(threadIdOf(entry.studentId)))
  forgetUnsentText(places, storage)
  for (const s of servers) {
    // A tutor's own practice pass on the same server (a computer both use) is theirs, not the student's.
    if (loadPracticePass(s, storage, 0)?.role === 'student') forgetPracticePass(s, storage)
  }
  forgetLessonKeys(server, lessonIds, storage)
  const link = { server, token: kept.code }
  const threads = useThreadsStore()
  if (threads.follows(link)) threads.disconnect()
  useKeptCodeUnreadStore().unwatch(link)
}

/** The practice screen and the library name a server by the address they were given; a link's is its origin. Both forms go. */
function serverForms(server: string): string[] {
  return [...new Set([server, new URL(server).origin])]
}

function forgetLessonKeys(server: string, lessonIds: readonly string[], storage: Storage): void {
  // From home the lessons are not known yet (forgetLessonKeysOf asks): nothing to rewrite.
  if (lessonIds.length === 0) return
  for (const s of serverForms(server)) forgetKeys(s, lessonIds, storage)
}

/**
 * The library keys of the lessons in a student's record, asked of the server
 * with their code (kept in memory only, the device has forgotten it). A server
 * that does not answer leaves them: everything else is gone already.
 */
export async function forgetLessonKeysOf(kept: Pick<KeptCode, 'server' | 'code'>, storage: Storage = localStorage): Promise<void> {
  try {
    const mine = await new MyRecordApi(kept.server, kept.code).record()
    forgetLessonKeys(kept.server, mine.lessons.map((l) => l.id), storage)
  } catch {
    // See above.
  }
}
