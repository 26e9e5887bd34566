// Recovery from an outage early in a lesson, studied by hand: a clean lab
// lesson, the student's link cut for 10 s `delayMs` (or 1-3 s at random)
// after both pictures first moved, `runs` times; each run prints when each
// room said "Reconnecting", when each picture came back and whether each
// remote tile still changes at the end, and writes both pages' peer
// connection events (ICE, signaling, offers/answers, restarts, tracks),
// banner changes and getStats every 250 ms to <outDir>/run-N.json with a
// screenshot of each page.
//   flock /tmp/duet-browser.lock npx tsx tests/netlab/earlyOutage.ts <runs> <delayMs|random> [outDir] [cut|glare|glare-reattach]
// `glare`: no outage; both sides restart ICE at the same moment, so their
// offers cross (`glare-reattach` then gives the student's tile its stream
// again). See src/renderer/media/builtin/README.md, Fast recovery.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NetLab } from './lab'
import { startLabServer } from './labServer'
import { startLabLesson } from './lesson'
import { lastFrameAt } from './probe'
import { PEOPLE } from './profiles'

const TRACE_SCRIPT = `(() => {
  const trace = []
  window.__trace = trace
  const t0 = performance.timeOrigin
  const log = (what, extra) => trace.push({ t: Math.round(t0 + performance.now()), what, ...(extra || {}) })
  const Base = window.RTCPeerConnection
  let n = 0
  window.RTCPeerConnection = class extends Base {
    constructor(...args) {
      super(...args)
      const id = ++n
      this.__id = id
      log('pc-new', { pc: id })
      this.addEventListener('iceconnectionstatechange', () => log('ice', { pc: id, s: this.iceConnectionState }))
      this.addEventListener('connectionstatechange', () => log('conn', { pc: id, s: this.connectionState }))
      this.addEventListener('signalingstatechange', () => log('sig', { pc: id, s: this.signalingState }))
      this.addEventListener('icegatheringstatechange', () => log('gather', { pc: id, s: this.iceGatheringState }))
      this.addEventListener('negotiationneeded', () => log('negneeded', { pc: id }))
      this.addEventListener('icecandidateerror', (e) => log('candidate-error', { pc: id, code: e.errorCode, text: e.errorText }))
      this.addEventListener('track', (e) => {
        const tr = e.track
        log('track', { pc: id, mid: e.transceiver.mid, kind: tr.kind, track: tr.id.slice(0, 8), muted: tr.muted })
        tr.addEventListener('mute', () => log('track-mute', { pc: id, track: tr.id.slice(0, 8) }))
        tr.addEventListener('unmute', () => log('track-unmute', { pc: id, track: tr.id.slice(0, 8) }))
        tr.addEventListener('ended', () => log('track-ended', { pc: id, track: tr.id.slice(0, 8) }))
      })
      this.addEventListener('icecandidate', (e) => log('candidate', { pc: id, c: e.candidate ? e.candidate.candidate.split(' ').slice(4, 8).join(' ') : null }))
      const pc = this
      const sample = async () => {
        if (pc.connectionState === 'closed') return
        try {
          const r = await pc.getStats()
          const s = { t: Math.round(t0 + performance.now()), pc: id, what: 'stats' }
          for (const x of r.values()) {
            if (x.type === 'transport') { s.tp = x.packetsReceived; s.tps = x.packetsSent; s.ice = x.iceState; s.dtls = x.dtlsState; s.pair = x.selectedCandidatePairId; s.ufrag = x.iceLocalUsernameFragment }
            if (x.type === 'inbound-rtp' && x.kind === 'video' && x.mid === '1') { s.vdec = x.framesDecoded; s.vrx = x.packetsReceived; s.vkey = x.keyFramesDecoded }
            if (x.type === 'inbound-rtp' && x.kind === 'audio' && x.mid === '0') { s.arx = x.packetsReceived }
            if (x.type === 'outbound-rtp' && x.kind === 'video' && x.mid === '1') { s.venc = x.framesEncoded; s.vh = x.frameHeight; s.vsent = x.packetsSent }
          }
          const pair = s.pair ? r.get(s.pair) : null
          if (pair) { s.pst = pair.state; s.prx = pair.packetsReceived; s.prq = pair.requestsSent; s.prs = pair.responsesReceived }
          const tx = pc.getTransceivers()[1]
          if (tx) { const p = tx.sender.getParameters(); s.active = p.encodings && p.encodings[0] ? p.encodings[0].active : null; s.scale = p.encodings && p.encodings[0] ? p.encodings[0].scaleResolutionDownBy : null }
          const v = document.querySelector('[data-testid=remote-tile] video')
          if (v) {
            const vt = v.srcObject ? v.srcObject.getVideoTracks()[0] : null
            s.tile = { rs: v.readyState, paused: v.paused, w: v.videoWidth, ct: Math.round(v.currentTime * 10) / 10, track: vt ? vt.id.slice(0, 8) : null, muted: vt ? vt.muted : null, state: vt ? vt.readyState : null }
          }
          const rx = pc.getTransceivers()[1]
          if (rx) s.rxTrack = rx.receiver.track.id.slice(0, 8) + (rx.receiver.track.muted ? ':muted' : '') + ':' + rx.currentDirection + ':' + rx.mid
          trace.push(s)
        } catch (e) {}
        setTimeout(sample, 250)
      }
      setTimeout(sample, 250)
    }
  }
  for (const m of ['restartIce', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'createOffer']) {
    const orig = Base.prototype[m]
    Base.prototype[m] = function (...args) {
      const d = args[0] && args[0].type ? args[0].type : ''
      const extra = { pc: this.__id, d }
      if (m === 'setRemoteDescription' && args[0] && args[0].sdp) extra.ufrag = (/a=ice-ufrag:(\\S+)/.exec(args[0].sdp) || [])[1]
      if (m === 'addIceCandidate') { extra.c = args[0] && args[0].candidate ? args[0].candidate.split(' ').slice(4, 8).join(' ') : null; extra.uf = args[0] && args[0].usernameFragment }
      log(m, extra)
      const result = orig.apply(this, args)
      if (result && result.then) result.then(() => m === 'addIceCandidate' ? null : log(m + '-done', { pc: this.__id, sig: this.signalingState, ufrag: m === 'setLocalDescription' && this.localDescription ? (/a=ice-ufrag:(\\S+)/.exec(this.localDescription.sdp) || [])[1] : undefined }), (e) => log(m + '-error', { pc: this.__id, e: String(e) }))
      return result
    }
  }
  let banner = null
  setInterval(() => {
    const el = document.querySelector('[data-testid=room-banner]')
    const text = el ? el.textContent : null
    if (text !== banner) { banner = text; log('banner', { text }) }
  }, 50)
})()`

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)))
const [runsArg = '5', delayArg = 'random', outDir = '/tmp/early-outage', mode = 'cut'] = process.argv.slice(2)
mkdirSync(outDir, { recursive: true })

const lab = await NetLab.start({ profile: 'clean' })
const server = await startLabServer(lab, { tuning: true })
const results: string[] = []
try {
  for (let run = 1; run <= Number(runsArg); run += 1) {
    const lesson = await startLabLesson(lab, server.url, { initScript: TRACE_SCRIPT })
    const consoleLines: string[] = []
    for (const person of PEOPLE) lesson.pages[person].on('console', (m) => consoleLines.push(`${Date.now()} ${person} ${m.type()} ${m.text()}`))
    try {
      const delay = delayArg === 'random' ? 1000 + Math.random() * 2000 : Number(delayArg)
      await sleep(lesson.startedAt + delay - Date.now())
      // 'glare': no outage, both sides restart ICE at once (as both grace timers firing together would).
      const backAt = mode.startsWith('glare') ? Date.now() + 4000 : lab.cut('student', 10_000)
      if (mode.startsWith('glare')) {
        await Promise.all(PEOPLE.map((p) => lesson.pages[p].evaluate('window.__netlab.pcs.at(-1).restartIce()')))
      }
      if (mode === 'glare-reattach') {
        // Does the picture come back when the tile gets its stream again?
        await sleep(1500)
        await lesson.pages.student.evaluate(`(() => { const v = document.querySelector('[data-testid=remote-tile] video'); v.srcObject = new MediaStream(v.srcObject.getTracks()); v.play() })()`)
      }
      const cutAt = backAt - (mode.startsWith('glare') ? 4000 : 10_000)
      const reconnectingAt: Record<string, number | null> = { tutor: null, student: null }
      const backFrameAt: Record<string, number | null> = { tutor: null, student: null }
      while (Date.now() < backAt + 20_000) {
        await sleep(100)
        for (const person of PEOPLE) {
          const page = lesson.pages[person]
          if (reconnectingAt[person] === null && Date.now() < backAt) {
            const text = await page.getByTestId('room-banner').textContent({ timeout: 50 }).catch(() => '')
            if (text?.includes('Reconnecting')) reconnectingAt[person] = Date.now() - cutAt
          }
          if (backFrameAt[person] === null && Date.now() > backAt) {
            const last = await lastFrameAt(page)
            if (last > backAt) backFrameAt[person] = last - backAt
          }
        }
        if (PEOPLE.every((p) => backFrameAt[p] !== null)) break
      }
      // What a person sees: the remote tile's video (if shown) a second apart, and the whole page.
      const moving: Record<string, boolean | string> = {}
      for (const person of PEOPLE) {
        const page = lesson.pages[person]
        await page.screenshot({ path: join(outDir, `run-${run}-${person}.png`) })
        const tile = page.getByTestId('remote-tile').locator('video')
        if (!(await tile.isVisible())) {
          moving[person] = `hidden: ${(await page.getByTestId('remote-tile').textContent()) ?? ''}`
          continue
        }
        const a = await tile.screenshot()
        await sleep(1000)
        moving[person] = !a.equals(await tile.screenshot())
      }
      await sleep(1000)
      const traces: Record<string, unknown> = {}
      for (const person of PEOPLE) traces[person] = await lesson.pages[person].evaluate('window.__trace')
      const load = (await import('node:os')).loadavg()[0]!.toFixed(1)
      const line = `run ${run}: cut ${Math.round(cutAt - lesson.startedAt)} ms after first frames; reconnecting after ${JSON.stringify(reconnectingAt)}; picture back after ${JSON.stringify(backFrameAt)} ms; tiles change at the end ${JSON.stringify(moving)}; load ${load}`
      console.log(line)
      results.push(line)
      writeFileSync(join(outDir, `run-${run}.json`), JSON.stringify({ startedAt: lesson.startedAt, cutAt, backAt, reconnectingAt, backFrameAt, traces, console: consoleLines }, null, 1))
    } finally {
      await lesson.close()
    }
  }
} finally {
  await server.stop()
  await lab.stop()
}
console.log(results.join('\n'))
process.exit(0)
