import type { LessonMarker, LibraryRecording } from '../../shared/recording/library'
import type { LibraryItem } from './librarySource'

/** Problems after which the file is still there and worth offering to play. */
const PLAYABLE_DAMAGE = new Set(['finalize-failed', 'no-space-to-finish', 'record-missing', 'record-unreadable'])

export function isPlayable(part: LibraryRecording): boolean {
  if (part.sizeBytes === 0 || part.status === 'recording') return false
  return part.status !== 'damaged' || (part.problem !== null && PLAYABLE_DAMAGE.has(part.problem.code))
}

/** The other person, from this machine's point of view. */
export function otherName(item: LibraryItem): string {
  const r = item.record
  if (!r) return ''
  return ((item.viewerRole ?? r.role) === 'tutor' ? r.studentName : r.tutorName) ?? ''
}

/** Length of the recordings (all parts), when known. */
export function recordedMs(item: LibraryItem): number | null {
  const parts = item.recordings.map((p) => p.durationMs).filter((d): d is number => d !== null)
  return parts.length > 0 ? parts.reduce((a, b) => a + b, 0) : null
}

/** Length of the lesson itself (both people together), else of what was recorded. */
export function lessonMs(item: LibraryItem): number | null {
  return item.record?.durationMs ?? recordedMs(item)
}

export interface TimelineMarker extends LessonMarker {
  /** Seconds into the recording. */
  time: number
}

/** The lesson's markers that fall inside one recording, as seconds on its timeline. */
export function markersFor(item: LibraryItem, part: LibraryRecording, durationSeconds: number): TimelineMarker[] {
  if (part.startedAt <= 0 || !Number.isFinite(durationSeconds) || durationSeconds <= 0) return []
  return item.markers
    .map((m) => ({ ...m, time: (m.at - part.startedAt) / 1000 }))
    .filter((m) => m.time >= 0 && m.time <= durationSeconds && !(m.kind === 'recording-start' && m.label !== part.file))
}

/** 'screen-share-start' → i18n key under library.markerKinds. */
export function markerKindKey(kind: string): string {
  const known = ['recording-start', 'screen-share-start', 'screen-share-stop', 'page', 'ai-question', 'chat-message']
  return known.includes(kind) ? kind.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) : 'other'
}
