/**
 * The short sound of a new message while the chat is closed. The file is
 * made once from Debian's sox (scripts/make-chat-sound.sh) and served from
 * the renderer's public folder by both builds.
 */
const SOUND_URL = `${import.meta.env.BASE_URL}sounds/chat-message.ogg`

let audio: HTMLAudioElement | null = null
let lastPlayed = 0
/** A burst of messages makes one sound, not a drum roll. */
const MIN_GAP_MS = 1500

export function playMessageSound(now = Date.now()): void {
  if (now - lastPlayed < MIN_GAP_MS || typeof Audio === 'undefined') return
  lastPlayed = now
  audio ??= new Audio(SOUND_URL)
  audio.currentTime = 0
  // Autoplay rules may refuse before the person touched the page; the badge still shows.
  void audio.play().catch(() => {})
}
