import { mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { jsonPolicySource, type PolicySource, type PolicySourceDeps } from '../../../../../electron/main/policy/sources'
import { PolicyService } from '../../../../../electron/main/services/PolicyService'
import { nodeTimers } from '../../../../../electron/main/timers'
import type { EffectivePolicy } from '../../../../../src/shared/policy/parse'
import { fakeLogger } from '../../fakes'

const fsDeps: PolicySourceDeps = {
  readFile: (path) => readFile(path),
  exportRegistryKey: async () => null,
  env: {},
  username: 'li',
}

let dirs: string[] = []
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  dirs = []
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'duet-policy-'))
  dirs.push(dir)
  return dir
}

function service(sources: PolicySource[], opts: { settleMs?: number } = {}) {
  const logger = fakeLogger()
  const policy = new PolicyService({
    sources,
    logger,
    watchDir: (dir, onChange) => watch(dir, () => onChange()),
    timers: nodeTimers,
    settleMs: opts.settleMs ?? 20,
  })
  return { policy, logger }
}

describe('PolicyService', () => {
  it('no policy anywhere: nothing enforced, nothing said, no change event', async () => {
    const dir = tempDir()
    const { policy, logger } = service([jsonPolicySource(join(dir, 'policy.json'), fsDeps)])
    const changes = vi.fn()
    policy.onChange(changes)
    expect(await policy.refresh()).toBe(false)
    expect(policy.current()).toEqual({ enforced: {}, recommended: {}, problems: [], sources: [] })
    expect(changes).not.toHaveBeenCalled()
    expect(logger.warn).not.toHaveBeenCalled()
  })

  it('applies an admin\'s edit without a restart: the file is watched, listeners hear the new policy', async () => {
    const dir = tempDir()
    const path = join(dir, 'policy.json')
    writeFileSync(path, JSON.stringify({ UpdateMode: 'manual' }))
    const { policy } = service([jsonPolicySource(path, fsDeps)])
    await policy.refresh()
    expect(policy.current().enforced).toEqual({ UpdateMode: 'manual' })
    const seen: EffectivePolicy[] = []
    policy.onChange((p) => seen.push(p))
    policy.watch()
    try {
      writeFileSync(path, JSON.stringify({ UpdateMode: 'none', AdminContact: 'IT desk' }))
      await vi.waitFor(() => expect(seen.at(-1)?.enforced).toEqual({ UpdateMode: 'none', AdminContact: 'IT desk' }), { timeout: 5000 })
      expect(policy.view()).toMatchObject({ adminContact: 'IT desk', lockedSettings: ['updateMode'] })
    } finally {
      policy.dispose()
    }
  })

  it('a policy deployed later (its folder did not exist) is found by the poll', async () => {
    const dir = tempDir()
    const path = join(dir, 'duet', 'policy.json')
    const { policy } = service([jsonPolicySource(path, fsDeps)])
    policy.watch() // the folder is missing: no watcher, the poll covers it
    policy.dispose()
    mkdirSync(join(dir, 'duet'))
    writeFileSync(path, JSON.stringify({ Language: 'zh-CN' }))
    expect(await policy.refresh()).toBe(true)
    expect(policy.current().enforced).toEqual({ Language: 'zh-CN' })
  })

  it('a source that throws is a problem, logged once however often it is read; the others still apply', async () => {
    const broken: PolicySource = { label: 'HKLM\\SOFTWARE\\Policies\\Duet\\Duet', watchDirs: [], read: () => Promise.reject(new Error('spawn reg.exe ENOENT')) }
    const dir = tempDir()
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ AdminContact: 'Ms Chen', UpdateMode: 'sometimes' }))
    const { policy, logger } = service([broken, jsonPolicySource(join(dir, 'policy.json'), fsDeps)])
    await policy.refresh()
    await policy.refresh()
    expect(policy.current().enforced).toEqual({ AdminContact: 'Ms Chen' })
    expect(policy.current().problems.map((p) => p.message)).toEqual([
      'cannot be read (spawn reg.exe ENOENT); nothing in it is applied',
      expect.stringMatching(/must be one of: auto, manual, none, not text "sometimes"; ignored/),
    ])
    expect(logger.warn).toHaveBeenCalledTimes(2)
  })

  it('refreshes asked for during a read are folded into one more read', async () => {
    let reads = 0
    let release: () => void = () => {}
    const slow: PolicySource = {
      label: 'slow',
      watchDirs: [],
      read: () => {
        reads++
        return new Promise((resolve) => (release = () => resolve(null)))
      },
    }
    const { policy } = service([slow])
    const first = policy.refresh()
    void policy.refresh()
    void policy.refresh()
    release()
    await first
    await vi.waitFor(() => expect(reads).toBe(2))
    release()
  })
})
