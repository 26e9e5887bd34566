import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_UPDATE_FEED_URL, hostedServerPolicy, updateConfig, wireManagedChanges } from '../../../../electron/main/managed'
import { resolveLibraryRoot } from '../../../../electron/main/recording/libraryRoot'
import { serverOnlyBlocks } from '../../../../electron/main/security/serverOnly'
import { appUrlChecker } from '../../../../electron/main/appOrigin'
import { mergePolicySources, NO_POLICY, parsePolicyDocument, type EffectivePolicy } from '../../../../src/shared/policy/parse'
import { policyView } from '../../../../src/shared/policy/view'
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings'
import { fakeLogger } from '../fakes'

const policyOf = (document: unknown): EffectivePolicy => mergePolicySources([parsePolicyDocument(document, '/etc/duet/policy.json')])

describe('what policy and settings drive', () => {
  it('updates: mode and channel from settings (policy-locked there), feed and window from policy, else the project feed', () => {
    expect(updateConfig(DEFAULT_SETTINGS, NO_POLICY)).toEqual({ mode: 'auto', channel: 'stable', feedUrl: DEFAULT_UPDATE_FEED_URL, installWindow: null, managedByPolicy: false })
    const policy = policyOf({ UpdateFeedUrl: 'https://mirror.school.example/duet/', UpdateInstallWindow: '18:00-07:00' })
    expect(updateConfig({ ...DEFAULT_SETTINGS, updateMode: 'manual' }, policy)).toEqual({
      mode: 'manual',
      channel: 'stable',
      feedUrl: 'https://mirror.school.example/duet',
      installWindow: '18:00-07:00',
      managedByPolicy: true,
    })
  })

  it('the hosted server: LAN from settings (AllowLanJoin locks it), TURN and recording from policy', () => {
    expect(hostedServerPolicy(DEFAULT_SETTINGS, NO_POLICY)).toEqual({ lanAccess: false, iceServers: [], recording: 'allowed' })
    const policy = policyOf({ IceServers: [{ urls: 'turn:t.school.example:3478', username: 'u', credential: 'p' }], Recording: 'forbidden' })
    expect(hostedServerPolicy({ ...DEFAULT_SETTINGS, lanAccess: true }, policy)).toEqual({
      lanAccess: true,
      iceServers: [{ urls: 'turn:t.school.example:3478', username: 'u', credential: 'p' }],
      recording: 'forbidden',
    })
  })

  it('a policy change reaches the window, the AI, the hosted server and updates without a restart', async () => {
    const listeners: (() => void)[] = []
    const view = policyView(policyOf({ AdminContact: 'IT' }))
    const deps = {
      policy: { onChange: (l: () => void) => (listeners.push(l), () => {}), view: () => view },
      settings: { get: () => ({ ...DEFAULT_SETTINGS, locale: 'zh-CN' as const }) },
      applyAi: vi.fn(async () => 'live'),
      applyServerPolicy: vi.fn(async () => 'restarted'),
      updates: { reconfigure: vi.fn() },
      notify: { policy: vi.fn(), settings: vi.fn() },
      logger: fakeLogger(),
    }
    const { settingsChanged } = wireManagedChanges(deps)
    listeners.forEach((l) => l())
    expect(deps.notify.policy).toHaveBeenCalledWith(view)
    expect(deps.notify.settings).toHaveBeenCalledWith(expect.objectContaining({ locale: 'zh-CN' }))
    expect(deps.applyAi).toHaveBeenCalledTimes(1)
    expect(deps.applyServerPolicy).toHaveBeenCalledTimes(1)
    expect(deps.updates.reconfigure).toHaveBeenCalledTimes(1)
    // The user's own change (e.g. "let students on this network join") reaches the same services.
    deps.applyServerPolicy.mockRejectedValueOnce(new Error('port gone'))
    await settingsChanged()
    expect(deps.logger.error).toHaveBeenCalledWith('applying server settings failed:', expect.any(Error))
    expect(deps.updates.reconfigure).toHaveBeenCalledTimes(2)
  })

  it('RecordingFolder: used when absolute and writable, ~ is home; otherwise the default with the reason', () => {
    const ok = resolveLibraryRoot({ policyFolder: '~/Recordings', defaultRoot: '/data/library', home: '/home/li', mkdir: vi.fn(), probeWrite: vi.fn() })
    expect(ok).toEqual({ root: '/home/li/Recordings', problem: null })
    expect(resolveLibraryRoot({ policyFolder: undefined, defaultRoot: '/data/library', home: '/h', mkdir: vi.fn(), probeWrite: vi.fn() })).toEqual({ root: '/data/library', problem: null })
    const relative = resolveLibraryRoot({ policyFolder: 'Recordings', defaultRoot: '/data/library', home: '/h', mkdir: vi.fn(), probeWrite: vi.fn() })
    expect(relative).toEqual({ root: '/data/library', problem: expect.stringMatching(/not an absolute path/) })
    const denied = resolveLibraryRoot({
      policyFolder: '/mnt/share/duet',
      defaultRoot: '/data/library',
      home: '/h',
      mkdir: vi.fn(),
      probeWrite: () => {
        throw new Error('EACCES: permission denied')
      },
    })
    expect(denied).toEqual({ root: '/data/library', problem: '/mnt/share/duet cannot be used (EACCES: permission denied); recordings stay in /data/library' })
  })

  it('ServerUrlOnly: the window reaches the school server (http and its WebSockets) and the app, nothing else', () => {
    let only: string | null = 'https://lessons.school.example'
    const blocks = serverOnlyBlocks(() => only, appUrlChecker(null))
    expect(blocks('https://lessons.school.example/api/lessons')).toBe(false)
    expect(blocks('wss://lessons.school.example/ws')).toBe(false)
    expect(blocks('app://duet/index.html')).toBe(false)
    expect(blocks('http://192.168.1.20:47300/api/invites/K7P2QXMA')).toBe(true)
    expect(blocks('https://lessons.school.example.evil.test/api')).toBe(true)
    expect(blocks('http://lessons.school.example/api')).toBe(true)
    const dev = serverOnlyBlocks(() => 'https://lessons.school.example', appUrlChecker('http://localhost:5173'))
    expect(dev('ws://localhost:5173/')).toBe(false)
    expect(dev('ws://localhost:5174/')).toBe(true)
    only = null
    expect(blocks('http://192.168.1.20:47300/api/invites/K7P2QXMA')).toBe(false)
  })
})
