import { defineStore } from 'pinia'
import { ref } from 'vue'
import { inviteUrl as buildInviteUrl, type ParsedInvite } from '../../../shared/lesson/invite'
import type { InvitePreview } from '../../../shared/lesson/api'
import { SessionApi } from '../sessionApi'
import { useHost } from '../../host/current'
import { loadPass, savePass, type LessonPass } from '../LessonPass'
import { useSettingsStore } from '../../settings/stores/settingsStore'

/**
 * The lesson this window is in: created (tutor) or joined (student) through
 * the session server's HTTP API, remembered for the tab so a reload rejoins.
 */
export const useSessionStore = defineStore('session', () => {
  const pass = ref<LessonPass | null>(loadPass())

  function setPass(value: LessonPass | null): void {
    pass.value = value
    savePass(value)
  }

  async function startLesson(tutorName: string): Promise<LessonPass> {
    const server = await useHost().app.lessonServer()
    // The app's own server hands it its key; a school server's comes from the school (Settings).
    const created = await new SessionApi(server.url).createLesson(tutorName, server.tutorKey ?? useSettingsStore().settings.tutorKey)
    const lanUrls = server.lanUrls.map((origin) => buildInviteUrl(origin, created.inviteCode))
    setPass({
      server: server.url,
      lessonId: created.lessonId,
      token: created.tutorToken,
      participantId: created.participantId,
      role: 'tutor',
      selfName: tutorName,
      tutorName,
      invite: {
        code: created.inviteCode,
        url: created.inviteUrl,
        deepLink: created.inviteDeepLink,
        expiresAt: created.inviteExpiresAt,
        lanUrls: lanUrls.filter((url) => url !== created.inviteUrl),
      },
    })
    await useSettingsStore().update({ displayName: tutorName })
    return pass.value as LessonPass
  }

  /** The server an invite points at: its own link, a school server, or this app's. */
  async function serverFor(invite: ParsedInvite): Promise<string> {
    if (invite.server) return invite.server
    const configured = useSettingsStore().settings.serverUrl
    return configured ?? (await useHost().app.lessonServer()).url
  }

  async function previewInvite(invite: ParsedInvite): Promise<InvitePreview> {
    return new SessionApi(await serverFor(invite)).previewInvite(invite.code)
  }

  async function joinLesson(invite: ParsedInvite, studentName: string): Promise<LessonPass> {
    const server = await serverFor(invite)
    const joined = await new SessionApi(server).joinLesson(invite.code, studentName)
    setPass({
      server,
      lessonId: joined.lessonId,
      token: joined.studentToken,
      participantId: joined.participantId,
      role: 'student',
      selfName: studentName,
      tutorName: joined.tutorName,
      invite: null,
    })
    await useSettingsStore().update({ displayName: studentName })
    return pass.value as LessonPass
  }

  return { pass, startLesson, previewInvite, joinLesson, clear: () => setPass(null) }
})
