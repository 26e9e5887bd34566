import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AssignHomeworkRequest, Homework, HomeworkFile } from '../../../shared/students/homework'
import type { StudentRecord } from '../../../shared/students/record'
import type { CreateStudentRequest, InviteLesson, LessonOwner, RosterResponse, Student } from '../../../shared/students/roster'
import type { AtRiskResponse, Digest, FlagActionRequest, WarningSettings, WarningThresholds } from '../../../shared/students/warnings'
import { useHost } from '../../host/current'
import { ApiRequestError } from '../../lesson/ApiRequestError'
import { SessionApi } from '../../lesson/sessionApi'
import { useSettingsStore } from '../../settings/stores/settingsStore'
import { useThreadsStore } from '../../chat/stores/threadsStore'
import { i18n } from '../../i18n'
import { RosterApi } from '../recordsApi'
import { digestDue, digestText, markDigestShown } from '../tutorDigest'

/** A key this device makes for itself on a server that configures none (SELF_MADE_TUTOR_KEY): it names this tutor's roster. */
function makeTutorKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  const base64 = btoa(String.fromCharCode(...bytes))
  return `duet-tutor-${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`
}

/**
 * The tutor's roster on the server they teach from, the at-risk dashboard,
 * and the one student record open. The key that names the roster is the
 * app's own server's, else the school's (Settings), else (a server without
 * keys) one this device makes and keeps.
 */
export const useRosterStore = defineStore('roster', () => {
  const roster = ref<RosterResponse | null>(null)
  const atRisk = ref<AtRiskResponse | null>(null)
  const record = ref<StudentRecord | null>(null)
  /** New flags since the tutor last looked (the daily digest). */
  const digest = ref<Digest | null>(null)
  /** The early-warning thresholds (the settings screen). */
  const warningSettings = ref<WarningSettings | null>(null)
  /** Lessons held through a one-off invite that the open student's tutor may attach to them. */
  const inviteLessons = ref<InviteLesson[]>([])
  let api: RosterApi | null = null

  async function connect(): Promise<RosterApi> {
    if (api) return api
    const server = await useHost().app.lessonServer()
    const settings = useSettingsStore()
    let key = server.tutorKey ?? settings.settings.tutorKey
    if (!key) {
      const config = await new SessionApi(server.url).config()
      if (config.tutorKeyRequired) throw new ApiRequestError('tutor_key_required', 'This server needs its tutor key', server.url)
      key = makeTutorKey()
      await settings.update({ tutorKey: key })
    }
    api = new RosterApi(server.url, key)
    // The threads with the roster's students (unread counts per student, notifications) on the same key.
    useThreadsStore().connect({ server: server.url, token: key })
    return api
  }

  /** Whether this device keeps a roster on its lesson server (it holds a tutor key): only then can a lesson be someone's. */
  async function keepsRoster(): Promise<boolean> {
    const server = await useHost().app.lessonServer()
    return Boolean(server.tutorKey ?? useSettingsStore().settings.tutorKey)
  }

  /** After a lesson: whose it is, and the students it could be attached to. */
  async function lessonOwner(lessonId: string): Promise<{ owner: LessonOwner; students: RosterResponse['students'] }> {
    const client = await connect()
    const [owner, list] = await Promise.all([client.lessonOwner(lessonId), client.roster()])
    return { owner, students: list.students }
  }

  /** Attaches a lesson (held through a one-off invite) to a student on the roster. */
  async function attachLessonTo(lessonId: string, studentId: string): Promise<void> {
    await (await connect()).attachLesson(lessonId, studentId)
  }

  /** Homework for a student with one file (a board page as a picture), from the lesson it was given in. */
  async function giveHomework(studentId: string, request: AssignHomeworkRequest, file: File, onProgress: (fraction: number) => void): Promise<Homework> {
    const client = await connect()
    const homework = await client.assignHomework(studentId, request)
    await client.attach(studentId, homework.id, file, onProgress)
    return homework
  }

  /** The school's key, typed by the tutor when the server asked for one. */
  async function setTutorKey(key: string): Promise<void> {
    await useSettingsStore().update({ tutorKey: key })
    api = null
  }

  /**
   * The tutor's threads with their students, followed from the home screen
   * (who wrote while the tutor was away): only on a device that keeps a
   * roster, so a student's device never makes a tutor key by opening Home.
   */
  async function followThreads(): Promise<void> {
    if (await keepsRoster()) await connect()
  }

  /**
   * The daily digest, from the home screen: new flags since the tutor last
   * looked, as an OS notification once a day on this device (the home and
   * roster show them until "Got it"). Only where this device keeps a roster.
   */
  async function dailyDigest(storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage, now = new Date()): Promise<void> {
    if (!(await keepsRoster())) return
    const news = await (await connect()).digest()
    digest.value = news
    if (!digestDue(news, now, storage)) return
    markDigestShown(now, storage)
    const { t } = i18n.global
    await useHost().notifications.show({ title: t('records.digest.notifyTitle', { n: news.students.length }), body: digestText(t, news).slice(0, 300), tag: 'duet-digest' })
  }

  /** Counts loads, so that only the newest one's answer is shown. */
  let loads = 0

  /**
   * `archived`: the archived students instead of the current ones. When
   * loads overlap (a search typed while the roster refreshed itself), the
   * last one asked is the one shown, whichever answers last.
   */
  async function load(query = '', archived = false): Promise<void> {
    const mine = ++loads
    const client = await connect()
    const [list, risk, news] = await Promise.all([client.roster(query, archived), client.atRisk(), client.digest()])
    if (mine !== loads) return
    roster.value = list
    atRisk.value = risk
    digest.value = news
  }

  async function loadWarningSettings(): Promise<void> {
    warningSettings.value = await (await connect()).warningSettings()
  }

  /** Changes the thresholds (only the fields given), or with null goes back to the defaults shown. */
  async function saveWarningSettings(changes: Partial<WarningThresholds> | null): Promise<void> {
    const client = await connect()
    warningSettings.value = changes === null ? await client.resetWarningSettings() : await client.changeWarningSettings(changes)
  }

  async function digestSeen(): Promise<void> {
    await (await connect()).digestSeen()
    digest.value = null
  }

  async function add(request: CreateStudentRequest): Promise<Student> {
    const student = await (await connect()).add(request)
    await load()
    return student
  }

  async function open(studentId: string): Promise<void> {
    if (record.value?.student.id !== studentId) {
      record.value = null
      inviteLessons.value = []
    }
    const client = await connect()
    const [opened, offered] = await Promise.all([client.record(studentId), client.inviteLessons(studentId)])
    record.value = opened
    inviteLessons.value = offered
  }

  /** A lesson held through a one-off invite was the open student's: it counts in their record from now on. */
  async function attachLesson(lessonId: string): Promise<void> {
    await onOpen((client, id) => client.attachLesson(lessonId, id))
    const studentId = record.value?.student.id
    if (studentId) inviteLessons.value = await (await connect()).inviteLessons(studentId)
  }

  /** Runs a change on the open student, then reads their record again (flags, progress and the history follow). */
  async function onOpen(change: (client: RosterApi, studentId: string) => Promise<unknown>): Promise<void> {
    const studentId = record.value?.student.id
    if (!studentId) return
    const client = await connect()
    try {
      await change(client, studentId)
    } finally {
      // Also after a failure part-way (homework assigned, a file refused): show what is there now.
      record.value = await client.record(studentId).catch(() => record.value)
    }
  }

  /** Assigns homework to the open student: the new item (files are attached to it next). */
  async function assign(request: AssignHomeworkRequest): Promise<Homework> {
    let made: Homework | null = null
    await onOpen(async (client, id) => (made = await client.assignHomework(id, request)))
    if (!made) throw new Error('No student is open')
    return made
  }

  return {
    roster,
    atRisk,
    record,
    digest,
    inviteLessons,
    attachLesson,
    keepsRoster,
    followThreads,
    dailyDigest,
    lessonOwner,
    attachLessonTo,
    giveHomework,
    warningSettings,
    loadWarningSettings,
    saveWarningSettings,
    load,
    digestSeen,
    add,
    open,
    setTutorKey,
    assign,
    attach: (homeworkId: string, file: File, onProgress: (fraction: number) => void) => onOpen((client, id) => client.attach(id, homeworkId, file, onProgress)),
    fileBlob: async (homeworkId: string, file: HomeworkFile) => (await connect()).fileBlob(homeworkId, file),
    archive: (archived: boolean) => onOpen((client, id) => client.archive(id, archived)),
    review: (homeworkId: string, comment: string) => onOpen((client, id) => client.review(id, homeworkId, comment)),
    act: (flagId: string | null, action: FlagActionRequest) => onOpen((client, id) => client.act(id, flagId, action)),
  }
})
