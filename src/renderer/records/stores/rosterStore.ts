import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AssignHomeworkRequest } from '../../../shared/students/homework'
import type { StudentRecord } from '../../../shared/students/record'
import type { CreateStudentRequest, RosterResponse, Student } from '../../../shared/students/roster'
import type { AtRiskResponse, Digest, FlagActionRequest } from '../../../shared/students/warnings'
import { useHost } from '../../host/current'
import { ApiRequestError } from '../../lesson/ApiRequestError'
import { SessionApi } from '../../lesson/sessionApi'
import { useSettingsStore } from '../../settings/stores/settingsStore'
import { useThreadsStore } from '../../chat/stores/threadsStore'
import { RosterApi } from '../recordsApi'

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

  /** The school's key, typed by the tutor when the server asked for one. */
  async function setTutorKey(key: string): Promise<void> {
    await useSettingsStore().update({ tutorKey: key })
    api = null
  }

  /** `archived`: the archived students instead of the current ones. */
  async function load(query = '', archived = false): Promise<void> {
    const client = await connect()
    const [list, risk, news] = await Promise.all([client.roster(query, archived), client.atRisk(), client.digest()])
    roster.value = list
    atRisk.value = risk
    digest.value = news
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
    if (record.value?.student.id !== studentId) record.value = null
    record.value = await (await connect()).record(studentId)
  }

  /** Runs a change on the open student, then reads their record again (flags, progress and the history follow). */
  async function onOpen(change: (client: RosterApi, studentId: string) => Promise<unknown>): Promise<void> {
    const studentId = record.value?.student.id
    if (!studentId) return
    const client = await connect()
    await change(client, studentId)
    record.value = await client.record(studentId)
  }

  return {
    roster,
    atRisk,
    record,
    digest,
    load,
    digestSeen,
    add,
    open,
    setTutorKey,
    assign: (request: AssignHomeworkRequest) => onOpen((client, id) => client.assignHomework(id, request)),
    archive: (archived: boolean) => onOpen((client, id) => client.archive(id, archived)),
    review: (homeworkId: string, comment: string) => onOpen((client, id) => client.review(id, homeworkId, comment)),
    act: (flagId: string | null, action: FlagActionRequest) => onOpen((client, id) => client.act(id, flagId, action)),
  }
})
