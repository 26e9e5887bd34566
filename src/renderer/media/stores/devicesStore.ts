import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { LocalMedia, MediaAccessError } from '../LocalMedia'
import type { MediaAccessProblem } from '../constraints'
import { newDevices, pickFallbackDevice } from '../deviceFallback'
import { useSettingsStore } from '../../settings/stores/settingsStore'

export interface DeviceOption {
  id: string
  label: string
  /** A camera whose picture cannot be sent (depth, infrared): listed, but not choosable. */
  unsendable?: boolean
}

/** The device a track comes from, as the lists name it. */
export interface DeviceInUse {
  id: string
  label: string
}

/** Something about the devices the user should know, shown as a toast. */
export type DeviceNotice =
  | { type: 'switched'; kind: 'audio' | 'video'; from: string; to: string }
  | { type: 'lost'; kind: 'audio' | 'video'; from: string }
  | { type: 'added'; kind: 'audio' | 'video'; id: string; label: string }
  /** A camera gives a picture that cannot be sent; `to`: the camera used instead (empty: none). */
  | { type: 'unsendable'; kind: 'video'; from: string; to: string }

/**
 * Cameras, microphones and speakers, and the open camera/mic used from the
 * device check into the lesson (opened once, so joining is instant).
 */
export const useDevicesStore = defineStore('devices', () => {
  const local = shallowRef<LocalMedia | null>(null)
  /** Bumped whenever a local track changes, so views re-read the self-view. */
  const localVersion = ref(0)
  const cameras = ref<DeviceOption[]>([])
  const microphones = ref<DeviceOption[]>([])
  const speakers = ref<DeviceOption[]>([])
  const problem = ref<MediaAccessProblem | null>(null)
  const videoProblem = ref<MediaAccessProblem | null>(null)
  const problemDetail = ref('')
  const starting = ref(false)
  const notice = ref<DeviceNotice | null>(null)
  const speakerSelectable = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype
  /** What the system's default output is called ("Default - Speakers (…)"), to name the speaker in use. */
  const defaultSpeakerLabel = ref('')
  const unsendableVersion = ref(0)

  function trackDevice(track: MediaStreamTrack | null | undefined): DeviceInUse | null {
    return track ? { id: track.getSettings().deviceId ?? '', label: track.label } : null
  }

  /** The camera, microphone and speaker actually in use (the lists show these, not just "System default"). */
  const inUse = computed(() => {
    void localVersion.value
    const chosenSpeaker = useSettingsStore().settings.devices.speakerId
    const speaker = speakers.value.find((d) => d.id === chosenSpeaker)
    return {
      camera: trackDevice(local.value?.video),
      microphone: trackDevice(local.value?.audio),
      speaker: speaker ?? (defaultSpeakerLabel.value ? { id: '', label: defaultSpeakerLabel.value } : null),
    }
  })

  /** Cameras with those that cannot be sent marked. */
  const cameraOptions = computed(() => {
    void unsendableVersion.value
    const bad = local.value?.unsendable
    return cameras.value.map((c) => (bad?.has(c.id) ? { ...c, unsendable: true } : c))
  })

  const selfStream = computed(() => {
    void localVersion.value
    return local.value ? local.value.stream() : null
  })

  async function refreshLists(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) return
    const all = await navigator.mediaDevices.enumerateDevices()
    const before = { video: cameras.value, audio: microphones.value }
    const pick = (kind: MediaDeviceKind) =>
      all
        .filter((d) => d.kind === kind && d.deviceId !== 'default' && d.deviceId !== 'communications' && d.deviceId !== '')
        .map((d, i) => ({ id: d.deviceId, label: d.label || `${kind} ${i + 1}` }))
    cameras.value = pick('videoinput')
    microphones.value = pick('audioinput')
    speakers.value = pick('audiooutput')
    const defaultOutput = all.find((d) => d.kind === 'audiooutput' && d.deviceId === 'default')
    defaultSpeakerLabel.value = defaultOutput?.label.replace(/^Default\s*-\s*/i, '') ?? ''
    // Offer a camera or microphone that was just plugged in (not on the first listing).
    if (local.value) {
      for (const kind of ['video', 'audio'] as const) {
        const now = kind === 'video' ? cameras.value : microphones.value
        const added = before[kind].length > 0 ? newDevices(before[kind], now)[0] : undefined
        if (added) notice.value = { type: 'added', kind, id: added.id, label: added.label }
      }
    }
  }

  /** The device in use went away: switch to the next best one and say so. */
  async function fallBack(media: LocalMedia, kind: 'audio' | 'video', label: string): Promise<void> {
    await refreshLists()
    const list = kind === 'video' ? cameras.value : microphones.value
    const chosen = useSettingsStore().settings.devices
    const remembered = kind === 'video' ? chosen.cameraId : chosen.microphoneId
    const lostId = (kind === 'video' ? media.video : media.audio)?.getSettings().deviceId ?? null
    const next = pickFallbackDevice(list.filter((d) => !media.unsendable.has(d.id)), { id: lostId, label }, remembered)
    if (!next) {
      notice.value = { type: 'lost', kind, from: label }
      return
    }
    try {
      // The remembered choice stays: if that device comes back, the next lesson uses it again.
      await media.switchDevice(kind, next.id)
      notice.value = { type: 'switched', kind, from: label, to: next.label }
    } catch {
      notice.value = { type: 'lost', kind, from: label }
    }
  }

  /** Opens camera and mic with the remembered choice (once; later calls reuse them). */
  async function open(withVideo = true): Promise<boolean> {
    if (local.value) return true
    starting.value = true
    problem.value = null
    const media = new LocalMedia(useSettingsStore().settings.devices)
    try {
      const result = await media.start(withVideo)
      videoProblem.value = withVideo ? result.videoProblem : null
      if (result.skippedCamera !== null) {
        notice.value = { type: 'unsendable', kind: 'video', from: result.skippedCamera, to: media.video?.label ?? '' }
        unsendableVersion.value++
      }
      local.value = media
      media.events.on('track', () => (localVersion.value += 1))
      media.events.on('device-lost', ({ kind, label }) => void fallBack(media, kind, label))
      localVersion.value += 1
      await refreshLists()
      return true
    } catch (error) {
      problem.value = error instanceof MediaAccessError ? error.problem : 'other'
      problemDetail.value = error instanceof Error ? error.message : String(error)
      return false
    } finally {
      starting.value = false
    }
  }

  async function choose(kind: 'camera' | 'microphone' | 'speaker', deviceId: string | null): Promise<void> {
    const settings = useSettingsStore()
    const devices = { ...settings.settings.devices }
    if (kind === 'camera') devices.cameraId = deviceId
    if (kind === 'microphone') devices.microphoneId = deviceId
    if (kind === 'speaker') devices.speakerId = deviceId
    await settings.update({ devices })
    const media = local.value
    if (!media) return
    try {
      if (kind === 'speaker') media.setSpeaker(deviceId)
      else await media.switchDevice(kind === 'camera' ? 'video' : 'audio', deviceId)
      problem.value = null
    } catch (error) {
      if (error instanceof MediaAccessError && error.problem === 'unsendable') {
        // Not a failure of the devices: the camera in use goes on, and the choice goes back to it.
        unsendableVersion.value++
        const label = cameras.value.find((c) => c.id === deviceId)?.label ?? ''
        notice.value = { type: 'unsendable', kind: 'video', from: label, to: media.video?.label ?? '' }
        await settings.update({ devices: { ...settings.settings.devices, cameraId: media.devices.cameraId } })
        return
      }
      problem.value = error instanceof MediaAccessError ? error.problem : 'other'
      problemDetail.value = error instanceof Error ? error.message : String(error)
    }
  }

  function close(): void {
    local.value?.stop()
    local.value = null
    localVersion.value += 1
  }

  if (typeof navigator !== 'undefined' && navigator.mediaDevices) {
    navigator.mediaDevices.addEventListener?.('devicechange', () => void refreshLists())
  }

  return {
    local,
    localVersion,
    selfStream,
    cameras,
    cameraOptions,
    inUse,
    microphones,
    speakers,
    problem,
    videoProblem,
    problemDetail,
    starting,
    notice,
    dismissNotice: () => (notice.value = null),
    speakerSelectable,
    refreshLists,
    open,
    choose,
    close,
  }
})
