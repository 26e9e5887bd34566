import type { Ref, ShallowRef } from 'vue'
import type { LessonInfo, Participant } from '../../shared/lesson/lesson'
import type { LessonMeta } from '../../shared/recording/library'
import type { MediaState } from '../../shared/lesson/signaling'
import type { LessonOutcome } from '../lesson/LessonOutcome'
import type { LessonPass } from '../lesson/LessonPass'
import type { LessonChannel } from '../lesson/LessonSocket'
import type { TrackRole } from '../media/trackRoles'
import { useDevicesStore } from '../media/stores/devicesStore'
import type { RecordingBinding } from './stores/recordingStore'

/** The room store's state the recording reads (refs, so it always sees the current value). */
export interface RoomRefs {
  self: Ref<Participant | null>
  peer: Ref<Participant | null>
  peerMedia: Ref<MediaState | null>
  lesson: Ref<LessonInfo | null>
  outcome: Ref<LessonOutcome | null>
  remoteStream: ShallowRef<MediaStream | null>
  remoteScreen: ShallowRef<MediaStream | null>
  cameraEnabled: Ref<boolean>
}

/** Lends the recording what it needs from the lesson room, without the recording knowing the room store. */
export function roomRecordingBinding(pass: LessonPass, room: RoomRefs, lesson: LessonChannel): RecordingBinding {
  const devices = useDevicesStore()
  const peerScreen = () => (room.peerMedia.value?.screen ? room.remoteScreen.value : null)
  return {
    pass,
    lesson,
    onOwnScreen: (listener) => {
      const local = devices.local
      if (!local) return () => {}
      let sharing = local.screen !== null
      const onTrack = ({ role, track }: { role: TrackRole; track: MediaStreamTrack | null }) => {
        // A new source while sharing is still one share.
        if (role !== 'screen' || sharing === (track !== null)) return
        sharing = track !== null
        listener(sharing)
      }
      local.events.on('track', onTrack)
      return () => local.events.off('track', onTrack)
    },
    media: () => ({
      selfName: room.self.value?.name ?? pass.selfName,
      selfRole: pass.role,
      peerName: room.peer.value?.name ?? '',
      remoteCamera: room.remoteStream.value,
      remoteScreen: peerScreen(),
      ownCamera: room.cameraEnabled.value ? (devices.local?.video ?? null) : null,
      ownScreen: devices.local?.screen ?? null,
    }),
    audioTracks: () => [
      devices.local?.audio ?? null,
      devices.local?.screenAudio ?? null,
      ...(room.remoteStream.value?.getAudioTracks() ?? []),
      ...(peerScreen()?.getAudioTracks() ?? []),
    ],
    meta: (): LessonMeta => {
      const outcome = room.outcome.value
      const summary = outcome?.kind === 'ended' ? outcome.summary : null
      const peerName = room.peer.value?.name ?? null
      return {
        lessonId: pass.lessonId,
        role: pass.role,
        tutorName: pass.tutorName,
        studentName: pass.role === 'student' ? pass.selfName : peerName,
        server: pass.server,
        startedAt: room.lesson.value?.startedAt ?? summary?.startedAt ?? null,
        endedAt: summary?.endedAt ?? (outcome?.kind === 'left' ? outcome.leftAt : null),
        durationMs: summary ? summary.durationMs : null,
      }
    },
  }
}
