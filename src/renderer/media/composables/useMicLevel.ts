import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/**
 * Live microphone level 0..1 for a meter: RMS of the time-domain signal
 * through a WebAudio AnalyserNode, smoothed so the bar does not flicker.
 */
export function useMicLevel(track: Ref<MediaStreamTrack | null>) {
  const level = ref(0)
  let context: AudioContext | null = null
  let frame = 0

  function stop(): void {
    cancelAnimationFrame(frame)
    void context?.close().catch(() => {})
    context = null
    level.value = 0
  }

  function start(audio: MediaStreamTrack): void {
    stop()
    const ctx = new AudioContext()
    context = ctx
    const analyser = ctx.createAnalyser()
    analyser.fftSize = 1024
    ctx.createMediaStreamSource(new MediaStream([audio])).connect(analyser)
    const samples = new Float32Array(analyser.fftSize)
    const tick = () => {
      if (context !== ctx) return
      analyser.getFloatTimeDomainData(samples)
      let sum = 0
      for (const s of samples) sum += s * s
      const rms = Math.sqrt(sum / samples.length)
      // Speech sits around 0.02-0.2 RMS; scale so normal speech fills most of the bar.
      const target = Math.min(1, rms * 6)
      level.value = target > level.value ? target : level.value * 0.9 + target * 0.1
      frame = requestAnimationFrame(tick)
    }
    void ctx.resume().catch(() => {})
    tick()
  }

  watch(track, (value) => (value ? start(value) : stop()), { immediate: true })
  onBeforeUnmount(stop)
  return level
}
