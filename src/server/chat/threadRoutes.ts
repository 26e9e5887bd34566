import { threadIdOf, type ThreadsResponse, type ThreadSummary } from '../../shared/chat/thread'
import type { Route } from '../http/routes'
import type { ChatConversations } from './conversations'
import { chatFileRoutes } from './filesHttp'
import type { ThreadAccess, ThreadPerson } from './threadAccess'

const STUDENT = '([0-9a-f-]{36})'

/**
 * The threads over HTTP: GET /api/threads (the asker's threads with unread
 * counts, for the home screen and the roster), and the files of a thread
 * (POST /api/threads/<studentId>/files, GET …/files/<sha256>): the student
 * or their tutor upload; they and (where allowed) staff download.
 */
export function threadRoutes(deps: {
  access: ThreadAccess
  conversations: ChatConversations
  now: () => number
  summaries: (person: ThreadPerson) => Promise<(ThreadSummary & { role: ThreadsResponse['role'] })[]>
}): Route[] {
  const { access } = deps
  return [
    {
      method: 'GET',
      pattern: /^\/api\/threads$/,
      handle: async (req): Promise<ThreadsResponse> => {
        const person = await access.request(req)
        const threads = await deps.summaries(person)
        return { role: person.kind === 'student' ? 'student' : person.staff ? 'staff' : 'tutor', threads: threads.map(({ role: _r, ...t }) => t) }
      },
    },
    ...chatFileRoutes({
      ...deps,
      base: `/api/threads/${STUDENT}`,
      missing: 'No such file in this conversation',
      async authorize(req, studentId, action) {
        const person = await access.request(req)
        const conversation = threadIdOf(studentId)
        await access.open(person, conversation, action === 'upload' ? 'write' : 'read')
        return { conversation, uploader: person.kind === 'student' ? person.student.id : person.accountId }
      },
    }),
  ]
}
