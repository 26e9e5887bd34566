/** The composite recording: 720p at 30 fps, delivered by MediaRecorder in ~1 s chunks. */
export const RECORDING_WIDTH = 1280
export const RECORDING_HEIGHT = 720
export const RECORDING_FPS = 30
export const RECORDING_TIMESLICE_MS = 1000
export const RECORDING_VIDEO_BITS = 2_500_000
export const RECORDING_AUDIO_BITS = 128_000

/** One MediaRecorder chunk; a 1 s chunk at 2.5 Mbit/s is ~320 kB, keyframes included. */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024
export const MAX_THUMBNAIL_BYTES = 512 * 1024

const MB = 1024 * 1024
/** Below this a recording does not start (about 10 minutes of lesson). */
export const MIN_START_FREE_BYTES = 200 * MB
/** Below this the user is warned while recording (under an hour left). */
export const LOW_SPACE_BYTES = 1024 * MB
/** Below this the recording stops on its own, before the disk is actually full. */
export const STOP_FREE_BYTES = 50 * MB
/** Free space is re-read at most this often while recording. */
export const SPACE_CHECK_INTERVAL_MS = 10_000
