import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { IceServer } from '../../src/shared/lesson/ice'
import { startCoturn, type Coturn, type TurnAuth } from './coturn'
import { Link, seededRandom } from './impairment'
import { PEOPLE, PROFILES, type Person, type ProfileName } from './profiles'
import { ImpairmentRelay, type LinkPair } from './relay'
import { RtpWireCount } from './rtpWire'

/** UDP ports each person's browser sends from (Chromium's webrtc.udp_port_range), so the relay knows whose packet it is. */
export interface PortRange {
  min: number
  max: number
}

export interface NetLabOptions {
  profile: ProfileName
  /** Default: coturn's use-auth-secret with a random secret, handed to the session server (its `turn` setting). */
  auth?: TurnAuth
  /** Loss and jitter decisions repeat for the same seed. */
  seed?: number
  /** First of 60 UDP ports for the two browsers (env NETLAB_PORT_BASE, default 47440). */
  portBase?: number
}

const PORTS_PER_PERSON = 30

/**
 * The network lab: coturn on loopback, and one impairment relay in front of
 * it. Both browsers get the relay's address as their TURN server and relay-only
 * ICE, so every media packet goes browser -> relay -> coturn -> relay -> the
 * other browser; the relay tells the two people apart by the UDP ports their
 * browsers send from and impairs each person's link per direction as the
 * profile says.
 */
export class NetLab {
  readonly links: Record<Person, LinkPair>
  /** The RTP each person's browser sends, as it leaves it (before the link), since the lesson began (see rtpWire.ts). */
  readonly sent: Record<Person, RtpWireCount> = { tutor: new RtpWireCount(), student: new RtpWireCount() }
  private constructor(
    private readonly dir: string,
    private readonly coturn: Coturn,
    private readonly relay: ImpairmentRelay,
    links: Record<Person, LinkPair>,
    private readonly ranges: Record<Person, PortRange>,
    private profileName: ProfileName,
  ) {
    this.links = links
  }

  static async start(options: NetLabOptions): Promise<NetLab> {
    const dir = mkdtempSync(join(tmpdir(), 'duet-netlab-'))
    const base = options.portBase ?? Number(process.env.NETLAB_PORT_BASE ?? 47440)
    const ranges: Record<Person, PortRange> = {
      tutor: { min: base, max: base + PORTS_PER_PERSON - 1 },
      student: { min: base + PORTS_PER_PERSON, max: base + 2 * PORTS_PER_PERSON - 1 },
    }
    const seed = options.seed ?? 1
    const profile = PROFILES[options.profile]
    const links = {
      tutor: { up: new Link(profile.links.tutor.up, seededRandom(seed)), down: new Link(profile.links.tutor.down, seededRandom(seed + 1)) },
      student: { up: new Link(profile.links.student.up, seededRandom(seed + 2)), down: new Link(profile.links.student.down, seededRandom(seed + 3)) },
    }
    const sent: Partial<Record<Person, RtpWireCount>> = {}
    let coturn: Coturn | null = null
    try {
      coturn = await startCoturn({ dir, auth: options.auth })
      const turn = coturn
      const relay = new ImpairmentRelay({
        target: { host: turn.host, port: turn.port },
        linkFor: (client) => {
          const person = PEOPLE.find((p) => client.port >= ranges[p].min && client.port <= ranges[p].max)
          return person ? links[person] : null
        },
        observe: (pair, direction, msg) => {
          if (direction !== 'up') return
          const person = PEOPLE.find((p) => links[p] === pair)
          if (person) sent[person]?.addDatagram(msg)
        },
      })
      await relay.start()
      const lab = new NetLab(dir, turn, relay, links, ranges, options.profile)
      Object.assign(sent, lab.sent)
      return lab
    } catch (error) {
      await coturn?.stop()
      rmSync(dir, { recursive: true, force: true })
      throw error
    }
  }

  get profile(): ProfileName {
    return this.profileName
  }

  /** The TURN server's URL as browsers must use it: the relay's port, UDP only. */
  get turnUrl(): string {
    return `turn:127.0.0.1:${this.relay.port}?transport=udp`
  }

  get auth(): TurnAuth {
    return this.coturn.auth
  }

  /** ICE servers with a credential for `user` (static: the one user; secret: minted here, as the session server would). */
  iceServers(user = 'netlab'): IceServer[] {
    const { username, credential } = this.coturn.credentialsFor(user)
    return [{ urls: this.turnUrl, username, credential }]
  }

  portRange(person: Person): PortRange {
    return this.ranges[person]
  }

  /** Switches every link to another profile from now on. */
  setProfile(name: ProfileName): void {
    this.profileName = name
    for (const person of PEOPLE) {
      this.links[person].up.setSpec(PROFILES[name].links[person].up)
      this.links[person].down.setSpec(PROFILES[name].links[person].down)
    }
  }

  /** Starts the clock the profile's scheduled outages count from (call it when the lesson is running). */
  startSchedule(): void {
    const now = performance.now()
    for (const person of PEOPLE) {
      this.links[person].up.startSchedule(now)
      this.links[person].down.startSchedule(now)
    }
  }

  /** A new lesson's browsers: their packets reach coturn from fresh addresses (see ImpairmentRelay.forgetClients). */
  newLesson(): void {
    this.relay.forgetClients()
    for (const person of PEOPLE) this.sent[person].reset()
  }

  /** Cuts one person's link both ways for `ms`; returns the wall-clock time (epoch ms) it comes back. */
  cut(person: Person, ms: number): number {
    const now = performance.now()
    this.links[person].up.cutFor(ms, now)
    this.links[person].down.cutFor(ms, now)
    return performance.timeOrigin + now + ms
  }

  async stop(): Promise<void> {
    await this.relay.stop()
    await this.coturn.stop()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
