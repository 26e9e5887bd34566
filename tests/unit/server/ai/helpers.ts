import { AiStreamEventSchema, type AiStreamEvent } from '../../../../src/shared/ai/schema'
import { SseParser } from '../../../../src/shared/ai/sse'
import type { SessionServer } from '../../../../src/server/index'
import { createLesson, joinLesson } from '../helpers'

export interface StreamResult {
  status: number
  headers: Headers
  events: AiStreamEvent[]
  /** Raw body text (for "the key never reaches the client" checks). */
  raw: string
  text: string
}

/** A lesson with a tutor and a student token. */
export async function lessonPair(server: SessionServer, tutorKey?: string) {
  const lesson = await createLesson(server, 'Ms Li', tutorKey)
  const join = await joinLesson(server, lesson.inviteCode)
  return { lesson, tutor: lesson.tutorToken, student: join.studentToken }
}

export function authed(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra }
}

export async function getJson(server: SessionServer, path: string, token: string): Promise<{ status: number; body: unknown; raw: string }> {
  const res = await fetch(`${server.url}${path}`, { headers: authed(token) })
  const raw = await res.text()
  return { status: res.status, body: raw ? JSON.parse(raw) : null, raw }
}

export async function postAi(server: SessionServer, path: string, token: string, body: unknown): Promise<{ status: number; body: unknown; headers: Headers; raw: string }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: authed(token, { 'Content-Type': 'application/json' }), body: JSON.stringify(body) })
  const raw = await res.text()
  let parsed: unknown = null
  try {
    parsed = JSON.parse(raw)
  } catch {
    parsed = raw
  }
  return { status: res.status, body: parsed, headers: res.headers, raw }
}

/**
 * POST /api/ai/ask and read the event stream. `stopWhen` aborts the request
 * (as the panel's Stop button does) once the events so far satisfy it.
 */
export async function ask(
  server: SessionServer,
  token: string,
  body: Record<string, unknown>,
  stopWhen?: (events: AiStreamEvent[]) => boolean,
): Promise<StreamResult> {
  const controller = new AbortController()
  const res = await fetch(`${server.url}/api/ai/ask`, {
    method: 'POST',
    headers: authed(token, { 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
    signal: controller.signal,
  })
  const events: AiStreamEvent[] = []
  let raw = ''
  if (!res.ok || !res.body) {
    raw = await res.text()
    return { status: res.status, headers: res.headers, events, raw, text: '' }
  }
  const parser = new SseParser()
  const decoder = new TextDecoder()
  const reader = res.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      const chunk = decoder.decode(value, { stream: true })
      raw += chunk
      for (const message of parser.push(chunk)) events.push(AiStreamEventSchema.parse(JSON.parse(message.data)))
      if (stopWhen?.(events)) {
        controller.abort()
        break
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err
  }
  const text = events.map((e) => (e.type === 'delta' ? e.text : '')).join('')
  return { status: res.status, headers: res.headers, events, raw, text }
}

export const hasDelta = (events: AiStreamEvent[]): boolean => events.some((e) => e.type === 'delta')
export const lastEvent = (r: StreamResult): AiStreamEvent | undefined => r.events.at(-1)

export { TINY_PNG } from './fixtures'
