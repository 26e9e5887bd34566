import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './sessionServerProcess'

/**
 * A real PostgreSQL server for the tests, on loopback, in a folder of its
 * own, gone when the run ends: Debian's `postgresql` package (.ci/run
 * installs it). initdb refuses to run as root, so as root the cluster
 * belongs to the `postgres` user the package creates (or `duet-pg`, made
 * here, where there is none).
 */
export interface TestPostgres {
  /** postgres://duet@127.0.0.1:<port>/postgres */
  url: string
  stop(): void
}

const POSTGRES_ROOT = '/usr/lib/postgresql'

export function postgresBin(): string | null {
  if (!fs.existsSync(POSTGRES_ROOT)) return null
  const versions = fs
    .readdirSync(POSTGRES_ROOT)
    .filter((v) => fs.existsSync(path.join(POSTGRES_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? path.join(POSTGRES_ROOT, versions[0], 'bin') : null
}

function osUser(): string | null {
  if (process.getuid?.() !== 0) return null
  for (const name of ['postgres', 'duet-pg']) {
    if (spawnSync('id', ['-u', name]).status === 0) return name
  }
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'duet-pg'])
  return 'duet-pg'
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBin()
  if (!bin) throw new Error(`No PostgreSQL under ${POSTGRES_ROOT}: install Debian's postgresql package (apt-get install postgresql), as .ci/run does`)
  const user = osUser()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-test-postgres-'))
  const data = path.join(dir, 'data')
  const as = (command: string, args: string[]): void => {
    const [cmd, argv] = user ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args]
    const result = spawnSync(cmd, argv, { encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${path.basename(command)} failed: ${result.stderr || result.stdout}`)
  }
  if (user) execFileSync('chown', [user, dir])
  as(path.join(bin, 'initdb'), ['-D', data, '-U', 'duet', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'])
  const port = await freePort()
  // Durability is not what is tested here: fsync off keeps a busy two-core machine quick.
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
  as(path.join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', path.join(dir, 'server.log'), '-w', '-t', '120', 'start'])
  let stopped = false
  return {
    url: `postgres://duet@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return
      stopped = true
      try {
        as(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
