import { CreateLessonResponseSchema, JoinResponseSchema, type CreateLessonResponse, type JoinResponse } from '../../src/shared/lesson/api'
import type { SessionServer } from '../../src/server/index'

/**
 * The lesson HTTP API as a client calls it, for tests and the bench alike
 * (no test runner here): a session server in this process or in one of its
 * own (crash tests, the bench).
 */

/** Where a test reaches a session server: one in this process, or a real server process. */
export type ServerAddress = Pick<SessionServer, 'url' | 'port'>

export async function postJson(server: Pick<ServerAddress, 'url'>, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

/** `tutorKey`: for a server that requires one (as the desktop app's embedded server does). */
export async function createLesson(server: Pick<ServerAddress, 'url'>, tutorName = 'Ms Li', tutorKey?: string): Promise<CreateLessonResponse> {
  const res = await postJson(server, '/api/lessons', { tutorName }, tutorKey ? { Authorization: `Bearer ${tutorKey}` } : {})
  if (res.status !== 200) throw new Error(`create lesson: ${res.status} ${await res.text()}`)
  return CreateLessonResponseSchema.parse(await res.json())
}

export async function joinLesson(server: Pick<ServerAddress, 'url'>, code: string, studentName = 'Wei'): Promise<JoinResponse> {
  const res = await postJson(server, `/api/invites/${code}/join`, { studentName })
  if (res.status !== 200) throw new Error(`join: ${res.status} ${await res.text()}`)
  return JoinResponseSchema.parse(await res.json())
}
