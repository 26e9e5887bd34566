import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import dgram from 'node:dgram'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { turnCredential } from '../../src/server/lesson/turn'
import { endWithThisProcess } from '../support/sessionServerProcess'

/**
 * How browsers prove themselves to the TURN server. `static`: one fixed user
 * (coturn lt-cred-mech). `secret`: coturn's use-auth-secret, where the
 * session server mints each person a short-lived credential from the shared
 * secret (its `turn` setting, src/server/lesson/turn.ts).
 */
export type TurnAuth = { kind: 'static'; username: string; password: string } | { kind: 'secret'; secret: string }

export interface Coturn {
  host: string
  port: number
  auth: TurnAuth
  /** A username/credential pair this server accepts (for `secret`: minted now, valid for `ttlSeconds`). */
  credentialsFor(user: string, ttlSeconds?: number): { username: string; credential: string }
  stop(): Promise<void>
}

export const REALM = 'netlab.duet.test'

export function randomStaticAuth(): TurnAuth {
  return { kind: 'static', username: 'duet-lab', password: randomBytes(12).toString('hex') }
}

export function randomSecretAuth(): TurnAuth {
  return { kind: 'secret', secret: randomBytes(24).toString('base64url') }
}

function turnserverBinary(): string {
  for (const candidate of ['/usr/bin/turnserver', '/usr/local/bin/turnserver', '/opt/homebrew/bin/turnserver']) if (existsSync(candidate)) return candidate
  throw new Error('coturn is not installed (Debian/Ubuntu: apt-get install coturn; macOS: brew install coturn)')
}

async function freeUdpPort(host: string): Promise<number> {
  const probe = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => probe.bind(0, host, resolve))
  const port = probe.address().port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

/** Resolves once the server answers a STUN Binding request (it is listening and its threads are up). */
async function waitForStun(host: string, port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const socket = dgram.createSocket('udp4')
  const request = Buffer.alloc(20)
  request.writeUInt16BE(0x0001, 0) // Binding request, no attributes
  request.writeUInt32BE(0x2112a442, 4) // magic cookie
  randomBytes(12).copy(request, 8)
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs
      const timer = setInterval(() => {
        if (child.exitCode !== null) reject(new Error(`coturn exited with code ${child.exitCode}`))
        else if (Date.now() > deadline) reject(new Error('coturn did not answer STUN in time'))
        else socket.send(request, port, host)
      }, 100)
      socket.on('message', (msg) => {
        if (msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(request.subarray(8, 20))) {
          clearInterval(timer)
          resolve()
        }
      })
    })
  } finally {
    socket.close()
  }
}

/**
 * coturn on loopback for the network lab, with a test-only configuration: no
 * config file (-n), UDP only, no TLS/DTLS, no admin CLI, its user database in
 * the lab's own folder, and loopback peers allowed (both browsers' relayed
 * addresses are on 127.0.0.1). Never use these settings in production.
 */
export async function startCoturn(options: { dir: string; auth?: TurnAuth; host?: string }): Promise<Coturn> {
  const host = options.host ?? '127.0.0.1'
  const auth = options.auth ?? randomSecretAuth()
  const port = await freeUdpPort(host)
  const authArgs =
    auth.kind === 'static'
      ? ['--lt-cred-mech', `--user=${auth.username}:${auth.password}`]
      : ['--use-auth-secret', `--static-auth-secret=${auth.secret}`]
  const log = join(options.dir, 'turnserver.log')
  const child = spawn(
    turnserverBinary(),
    [
      '-n',
      `--listening-ip=${host}`,
      `--listening-port=${port}`,
      `--relay-ip=${host}`,
      `--realm=${REALM}`,
      ...authArgs,
      '--no-tls',
      '--no-dtls',
      '--no-tcp',
      '--no-tcp-relay',
      '--no-cli',
      '--allow-loopback-peers',
      '--no-multicast-peers',
      '--no-software-attribute',
      // coturn opens an SQLite user database even for a static user; keep it in the lab's folder, not /var/lib/turn.
      `--userdb=${join(options.dir, 'turndb')}`,
      `--pidfile=${join(options.dir, 'turnserver.pid')}`,
      `--log-file=${log}`,
      '--simple-log',
      '--no-stdout-log',
      ...(process.env.NETLAB_TURN_VERBOSE ? ['--verbose'] : []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  endWithThisProcess(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  try {
    await waitForStun(host, port, child, 15_000)
  } catch (error) {
    child.kill('SIGKILL')
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}\n${tail}`)
  }
  return {
    host,
    port,
    auth,
    credentialsFor: (user, ttlSeconds = 3600) => {
      if (auth.kind === 'static') return { username: auth.username, credential: auth.password }
      const { username = '', credential = '' } = turnCredential({ urls: [], secret: auth.secret, ttlSeconds }, user, Date.now())
      return { username, credential }
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
    },
  }
}
