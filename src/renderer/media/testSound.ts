/**
 * A short two-note chime for "Play test sound", made with WebAudio so no
 * sound file ships, played through an <audio> element so it honours the
 * chosen speaker (setSinkId).
 */
export async function playTestSound(speakerId: string | null): Promise<void> {
  const ctx = new AudioContext()
  const destination = ctx.createMediaStreamDestination()
  const gain = ctx.createGain()
  gain.connect(destination)
  const start = ctx.currentTime + 0.05
  for (const [i, freq] of [660, 880].entries()) {
    const osc = ctx.createOscillator()
    osc.frequency.value = freq
    osc.connect(gain)
    osc.start(start + i * 0.35)
    osc.stop(start + i * 0.35 + 0.3)
  }
  gain.gain.setValueAtTime(0, start)
  gain.gain.linearRampToValueAtTime(0.3, start + 0.02)
  gain.gain.setValueAtTime(0.3, start + 0.6)
  gain.gain.linearRampToValueAtTime(0, start + 0.7)

  const audio = new Audio() as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }
  audio.srcObject = destination.stream
  if (speakerId && audio.setSinkId) await audio.setSinkId(speakerId).catch(() => {})
  await audio.play().catch(() => {})
  await new Promise((resolve) => setTimeout(resolve, 900))
  audio.pause()
  audio.srcObject = null
  await ctx.close()
}
