import { defineStore } from 'pinia'
import { ref } from 'vue'
import { inviteUrl as buildInviteUrl, type ParsedInvite } from '../../../shared/lesson/invite'
import type { InvitePreview, JoinResponse } from '../../../shared/lesson/api'
import { SessionApi } from '../sessionApi'
import { useHost } from '../../host/current'
import { loadPass, savePass, type LessonPass } from '../LessonPass'
import { useSettingsStore } from '../../settings/stores/settingsStore'
import { usePolicyStore } from '../../settings/stores/policyStore'
import { sameServer, ServerNotAllowedError } from '../ServerNotAllowedError'
import { codeFor } from '../../records/myCodes'

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

  /** `student`: the lesson is for this student of the tutor's records (they join with their personal link). */
  async function startLesson(tutorName: string, student?: { id: string; name?: string | undefined }): Promise<LessonPass> {
    const server = await useHost().app.lessonServer()
    // The app's own server hands it its key; a school server's comes from the school (Settings).
    const created = await new SessionApi(server.url).createLesson(tutorName, server.tutorKey ?? useSettingsStore().settings.tutorKey, student?.id)
    const lanUrls = server.lanUrls.map((origin) => buildInviteUrl(origin, created.inviteCode))
    setPass({
      server: server.url,
      lessonId: created.lessonId,
      token: created.tutorToken,
      participantId: created.participantId,
      role: 'tutor',
      selfName: tutorName,
      tutorName,
      ...(student?.name ? { studentName: student.name } : {}),
      invite: {
        code: created.inviteCode,
        url: created.inviteUrl,
        deepLink: created.inviteDeepLink,
        expiresAt: created.inviteExpiresAt,
        lanUrls: lanUrls.filter((url) => url !== created.inviteUrl),
        hosted: server.hosted,
      },
    })
    await useSettingsStore().update({ displayName: tutorName })
    return pass.value as LessonPass
  }

  /**
   * The server an invite (or a student's personal link) points at: its own link, a school server, or this
   * app's. With the school's ServerUrlOnly policy, only the school's (main
   * blocks any other request too; this says why).
   */
  async function serverFor(invite: ParsedInvite): Promise<string> {
    const only = usePolicyStore().policy.onlyServer
    if (invite.server) {
      if (only && !sameServer(invite.server, only)) throw new ServerNotAllowedError(invite.server, only)
      return invite.server
    }
    const configured = useSettingsStore().settings.serverUrl
    return configured ?? (await useHost().app.lessonServer()).url
  }

  /**
   * The invite's network addresses again, after the tutor let students on
   * this network join (or stopped it): the hosted server now listens there.
   */
  async function refreshInviteAddresses(): Promise<void> {
    const current = pass.value
    if (!current?.invite) return
    const invite = current.invite
    setPass({ ...current, invite: { ...invite, ...(await networkLinks(invite.code, invite.url)) } })
  }

  /** An invite's same-network links, from the lesson server the tutor started it on (this app's). */
  async function networkLinks(code: string, publicLink: string): Promise<{ lanUrls: string[]; hosted: boolean }> {
    const server = await useHost().app.lessonServer()
    return { lanUrls: server.lanUrls.map((origin) => buildInviteUrl(origin, code)).filter((url) => url !== publicLink), hosted: server.hosted }
  }

  /** Tutor: replaces this lesson's invite with a fresh one (a new code, valid from now). */
  async function renewInvite(): Promise<void> {
    const current = pass.value
    if (!current || current.role !== 'tutor' || !current.invite) return
    const fresh = await new SessionApi(current.server).newInvite(current.lessonId, current.token)
    const links = await networkLinks(fresh.inviteCode, fresh.inviteUrl)
    // The pass may have been replaced (left, another lesson) while the server answered.
    if (pass.value !== current) return
    setPass({ ...current, invite: { code: fresh.inviteCode, url: fresh.inviteUrl, deepLink: fresh.inviteDeepLink, expiresAt: fresh.inviteExpiresAt, ...links } })
  }

  async function previewInvite(invite: ParsedInvite): Promise<InvitePreview> {
    return new SessionApi(await serverFor(invite)).previewInvite(invite.code)
  }

  /** A one-off invite; a personal code this device keeps for that server makes the lesson that student's. */
  async function joinLesson(invite: ParsedInvite, studentName: string): Promise<LessonPass> {
    const server = await serverFor(invite)
    const joined = await new SessionApi(server).joinLesson(invite.code, studentName, codeFor(server))
    return enterAsStudent(server, joined, studentName)
  }

  /** The student's pass once the server let them in (an invite or their personal link). */
  async function enterAsStudent(server: string, joined: JoinResponse, studentName: string): Promise<LessonPass> {
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

  return { pass, startLesson, serverFor, refreshInviteAddresses, renewInvite, previewInvite, joinLesson, enterAsStudent, clear: () => setPass(null) }
})
