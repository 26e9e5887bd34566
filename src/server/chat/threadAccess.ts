import type { IncomingMessage } from 'node:http'
import type { ChatMessage } from '../../shared/chat/schema'
import { studentOfThread, threadIdOf, type ThreadRole } from '../../shared/chat/thread'
import type { Participant } from '../../shared/lesson/lesson'
import { HttpError, clientIp } from '../http/respond'
import { bearerToken } from '../lesson/auth'
import type { ChatReader } from './conversations'

/** A student record as a thread needs it: whose it is and the names shown. */
export interface ThreadStudent {
  id: string
  name: string
  /** The tutor's account (the roster the student is on). */
  accountId: string
  tutorName: string
  /** The student's personal code now (a renewed code shuts out sockets opened with the old one). */
  code: string
}

/** Who is asking: a student (their personal code) or an account (a tutor's or staff member's key). */
export type ThreadPerson = { kind: 'student'; student: ThreadStudent } | { kind: 'account'; accountId: string; name: string; staff: boolean }

/** What the threads need of the student records (src/server/students/threadDirectory.ts). */
export interface ThreadDirectory {
  /** The person a personal code or key opens; throws 401 (429 after too many wrong codes from `ip`). */
  identify(token: string, ip: string): Promise<ThreadPerson>
  student(studentId: string): Promise<ThreadStudent | undefined>
  /** The students of one account's roster, or (everyone) of every roster. */
  studentsOf(accountId: string, everyone: boolean): Promise<ThreadStudent[]>
}

/**
 * The rule: a thread is read by its student and by the tutor whose roster
 * the student is on; a school's staff may read (never write) only where the
 * server allows it (`staffReadsThreads`, default off). Nobody else; a
 * student only with their current personal code.
 */
export function threadRoleOf(person: ThreadPerson, student: ThreadStudent, staffReadsThreads: boolean): ThreadRole | null {
  if (person.kind === 'student') return person.student.id === student.id && person.student.code === student.code ? 'student' : null
  if (person.accountId === student.accountId) return 'tutor'
  return person.staff && staffReadsThreads ? 'staff' : null
}

/** Read marks in a thread are per side; one's own messages are those of one's role (staff own none). */
export function threadReader(role: ThreadRole): ChatReader {
  return { key: role, isOwn: (message: ChatMessage) => message.from.role === role }
}

/** How a person signs what they write in a thread. */
export function participantOf(person: ThreadPerson): Participant {
  const name = (person.kind === 'student' ? person.student.name : person.name).slice(0, 40)
  return person.kind === 'student' ? { id: person.student.id, name, role: 'student' } : { id: person.accountId.slice(0, 64), name, role: 'tutor' }
}

/** The one place a thread request or socket message is checked: who asks, and whether they may read (or write) this thread. */
export class ThreadAccess {
  constructor(
    private readonly directory: ThreadDirectory,
    private readonly staffReadsThreads: boolean,
  ) {}

  identify(token: string, ip: string): Promise<ThreadPerson> {
    return this.directory.identify(token, ip)
  }

  request(req: IncomingMessage): Promise<ThreadPerson> {
    return this.directory.identify(bearerToken(req.headers.authorization), clientIp(req))
  }

  /**
   * The thread's student and the asker's role in it. A thread the asker may
   * not read answers exactly as a missing one does (404), so ids cannot be
   * probed; `write` also refuses staff (403).
   */
  async open(person: ThreadPerson, thread: string, mode: 'read' | 'write'): Promise<{ student: ThreadStudent; role: ThreadRole }> {
    const studentId = studentOfThread(thread)
    const student = studentId === null ? undefined : await this.directory.student(studentId)
    const role = student ? threadRoleOf(person, student, this.staffReadsThreads) : null
    if (!student || !role) throw new HttpError(404, 'not_found', 'No such conversation of yours')
    if (mode === 'write' && role === 'staff') throw new HttpError(403, 'forbidden', 'Staff may read this conversation, not write in it')
    return { student, role }
  }

  /** The threads a person may read: a student's own, a tutor's roster, and (staff, where allowed) every roster. */
  async threadsOf(person: ThreadPerson): Promise<{ thread: string; student: ThreadStudent; role: ThreadRole }[]> {
    const students = person.kind === 'student' ? [(await this.directory.student(person.student.id)) ?? person.student] : await this.directory.studentsOf(person.accountId, person.staff && this.staffReadsThreads)
    return students.flatMap((student) => {
      const role = threadRoleOf(person, student, this.staffReadsThreads)
      return role ? [{ thread: threadIdOf(student.id), student, role }] : []
    })
  }
}
