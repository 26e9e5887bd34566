import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { HomeworkFile } from '../../../shared/students/homework'
import type { MyRecord } from '../../../shared/students/record'
import type { Rating } from '../../../shared/students/rating'
import type { LessonPass } from '../../lesson/LessonPass'
import { useSessionStore } from '../../lesson/stores/sessionStore'
import { useThreadsStore } from '../../chat/stores/threadsStore'
import { keepCode } from '../myCodes'
import { MyRecordApi } from '../recordsApi'

/**
 * A student's own record, opened with their personal link ("My lessons
 * with …"): this device keeps the code, joins the lesson their tutor has
 * open for them, hands in homework and rates lessons.
 */
export const useMyRecordStore = defineStore('myRecord', () => {
  const record = ref<MyRecord | null>(null)
  let api: MyRecordApi | null = null

  async function open(server: string, code: string): Promise<void> {
    if (api?.server !== server || record.value === null) record.value = null
    api = new MyRecordApi(server, code)
    const mine = await api.record()
    record.value = mine
    keepCode({ server, code, tutorName: mine.tutorName, studentName: mine.student.name, studentId: mine.student.id })
    // The thread with the tutor (and its unread count) comes with the record.
    useThreadsStore().connect({ server, token: code })
  }

  function client(): MyRecordApi {
    if (!api) throw new Error('No personal link is open')
    return api
  }

  async function refresh(): Promise<void> {
    record.value = await client().record()
  }

  /** Joins the open lesson as this student: the pass for the device check and the room. */
  async function join(): Promise<LessonPass> {
    const mine = record.value
    if (!mine) throw new Error('No personal link is open')
    const joined = await client().join()
    return useSessionStore().enterAsStudent(client().server, joined, mine.student.name)
  }

  async function change(run: (c: MyRecordApi) => Promise<unknown>): Promise<void> {
    await run(client())
    await refresh()
  }

  /** The record leaves this page's memory (the student removed their link from this device). */
  function close(): void {
    record.value = null
    api = null
  }

  return {
    record,
    close,
    /** The session server of the open personal link. */
    server: () => client().server,
    open,
    refresh,
    join,
    submit: (homeworkId: string, text: string) => change((c) => c.submit(homeworkId, text)),
    markDone: (homeworkId: string) => change((c) => c.markDone(homeworkId)),
    attach: (homeworkId: string, file: File, onProgress: (fraction: number) => void) => change((c) => c.attach(homeworkId, file, onProgress)),
    fileBlob: (homeworkId: string, file: HomeworkFile) => client().fileBlob(homeworkId, file),
    rate: (lessonId: string, rating: Rating) => change((c) => c.rate(lessonId, rating)),
  }
})
