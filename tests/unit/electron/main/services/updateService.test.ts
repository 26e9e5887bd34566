import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { classifyUpdateError, UpdateRefusedError, UpdateService, type UpdateConfig } from '../../../../../electron/main/services/UpdateService'
import type { UpdateStatus } from '../../../../../src/shared/update'
import { fakeLogger } from '../../fakes'
import { createTestUpdater, sha512, startFeed, type Feed, type TestUpdater } from '../../../../support/updateFeed'

/** A new "AppImage": a script, so electron-updater's install step can really run it. */
function appImage(version: string, size = 64 * 1024): Buffer {
  const script = Buffer.from(`#!/bin/sh\n# Duet ${version}\nexit 0\n`)
  return Buffer.concat([script, Buffer.alloc(size - script.length, 0x23)])
}

interface ManualTimers {
  setTimeout: (fn: () => void, ms: number) => number
  clearTimeout: (h: unknown) => void
  setInterval: (fn: () => void, ms: number) => number
  clearInterval: (h: unknown) => void
  pending: () => { ms: number; repeat: boolean }[]
}

function manualTimers(): ManualTimers {
  let id = 0
  const all = new Map<number, { fn: () => void; ms: number; repeat: boolean }>()
  return {
    setTimeout: (fn, ms) => (all.set(++id, { fn, ms, repeat: false }), id),
    clearTimeout: (h) => void all.delete(h as number),
    setInterval: (fn, ms) => (all.set(++id, { fn, ms, repeat: true }), id),
    clearInterval: (h) => void all.delete(h as number),
    pending: () => [...all.values()].map(({ ms, repeat }) => ({ ms, repeat })),
  }
}

let feed: Feed | null = null
let test: TestUpdater | null = null
afterEach(async () => {
  test?.cleanup()
  await feed?.close()
  feed = test = null
})

async function setup(opts: { config?: Partial<UpdateConfig>; canInstall?: boolean; now?: Date; feedUrl?: string } = {}) {
  feed = await startFeed()
  test = createTestUpdater('0.1.0')
  const statuses: UpdateStatus[] = []
  const config: UpdateConfig = { mode: 'manual', channel: 'stable', feedUrl: opts.feedUrl ?? feed.url, installWindow: null, managedByPolicy: false, ...opts.config }
  const timers = manualTimers()
  const logger = fakeLogger()
  const service = new UpdateService({
    updater: test.updater,
    currentVersion: '0.1.0',
    config: () => config,
    canInstall: () => opts.canInstall ?? true,
    publish: (status) => statuses.push(status),
    timers,
    now: () => opts.now ?? new Date(2026, 10, 23, 12, 0),
    logger,
  })
  const quitAndInstall = vi.spyOn(test.updater, 'quitAndInstall')
  service.start()
  return { service, feed, test, statuses, config, timers, logger, quitAndInstall }
}

describe('UpdateService against electron-updater and a local generic feed', () => {
  it('finds a newer version (manual mode: offered, not downloaded), with plain-text release notes', async () => {
    const { service, feed } = await setup()
    feed.serve('latest-linux.yml', { version: '0.2.0', file: appImage('0.2.0'), releaseNotes: '<p>Faster board</p><ul><li>Fix A</li></ul>' })
    const status = await service.check()
    expect(status).toMatchObject({ phase: 'available', next: { version: '0.2.0', releaseNotes: 'Faster board\nFix A' }, error: null })
    expect(feed.requests).toEqual(['latest-linux.yml'])
  })

  it('downloads with progress, verifies the sha512, is ready, and installs when Duet quits', async () => {
    const { service, feed, test, statuses, quitAndInstall } = await setup({ config: { mode: 'auto' } })
    const file = appImage('0.2.0', 512 * 1024)
    feed.serve('latest-linux.yml', { version: '0.2.0', file })
    feed.paceDownloads(200)
    const status = await service.check()
    expect(status).toMatchObject({ phase: 'ready', percent: 100, canRestart: true, next: { version: '0.2.0' } })
    const percents = statuses.filter((s) => s.phase === 'downloading').map((s) => s.percent ?? -1)
    expect(percents[0]).toBe(0)
    expect(percents.some((p) => p > 0 && p < 100)).toBe(true)
    expect([...percents].sort((a, b) => a - b)).toEqual(percents)
    expect(feed.requests).toEqual(['latest-linux.yml', 'Duet-0.2.0.AppImage'])
    expect(test.updater.autoInstallOnAppQuit).toBe(true)
    expect(quitAndInstall).not.toHaveBeenCalled()
    test.quit()
    // electron-updater's own AppImage install step replaced the running file with the verified download.
    const installed = join(test.dir, 'Duet-0.2.0.AppImage')
    expect(sha512(readFileSync(installed))).toBe(sha512(file))
    expect(existsSync(join(test.dir, 'Duet-0.1.0.AppImage'))).toBe(false)
  })

  it('rejects a download whose sha512 is not the one the feed lists: error, nothing ready, nothing installed', async () => {
    const { service, feed, test } = await setup({ config: { mode: 'auto' } })
    feed.serve('latest-linux.yml', { version: '0.2.0', file: appImage('0.2.0'), sha512: sha512(Buffer.from('something else')) })
    const status = await service.check()
    expect(status).toMatchObject({ phase: 'error', canRestart: false, error: { code: 'download-corrupt' } })
    expect(status.error?.message).toMatch(/sha512 checksum mismatch/)
    expect(test.updater.autoInstallOnAppQuit).toBe(false)
    test.quit()
    expect(existsSync(join(test.dir, 'Duet-0.1.0.AppImage'))).toBe(true)
  })

  it('a download cut short (the feed lies about the file) is rejected the same way', async () => {
    const { service, feed } = await setup({ config: { mode: 'auto' } })
    const file = appImage('0.2.0')
    feed.serve('latest-linux.yml', { version: '0.2.0', file })
    feed.truncateDownloads(1000)
    expect(await service.check()).toMatchObject({ phase: 'error', error: { code: 'download-corrupt' } })
  })

  it('a wrong size in the feed does not matter when the file is the one the sha512 names', async () => {
    const { service, feed } = await setup({ config: { mode: 'auto' } })
    feed.serve('latest-linux.yml', { version: '0.2.0', file: appImage('0.2.0'), size: 12 })
    expect(await service.check()).toMatchObject({ phase: 'ready' })
  })

  it('no newer version: up to date', async () => {
    const { service, feed } = await setup()
    feed.serve('latest-linux.yml', { version: '0.1.0', file: appImage('0.1.0') })
    expect(await service.check()).toMatchObject({ phase: 'up-to-date', next: null, error: null, lastChecked: expect.any(Number) })
  })

  it('feed down: says the feed cannot be reached', async () => {
    const { service, feed } = await setup()
    await feed.close()
    const down = await service.check()
    expect(down).toMatchObject({ phase: 'error', error: { code: 'feed-unreachable' } })
  }, 20_000)

  it('HTML instead of YAML, a missing channel file: the feed is not an update feed, said in one line', async () => {
    const { service, feed } = await setup()
    feed.serve('latest-linux.yml', '<!doctype html><html><body><h1>Captive portal</h1></body></html>', 'text/html')
    const html = await service.check()
    expect(html).toMatchObject({ phase: 'error', error: { code: 'feed-invalid' } })
    expect(html.error?.message).not.toMatch(/<html|\n/)
    feed.serve('latest-linux.yml', 'version: [unclosed')
    expect(await service.check()).toMatchObject({ phase: 'error', error: { code: 'feed-invalid' } })
  })

  it('a missing latest-linux.yml is "not an update feed"', async () => {
    const { service } = await setup()
    expect(await service.check()).toMatchObject({ phase: 'error', error: { code: 'feed-invalid' } })
  })

  it('during a lesson: no timed check, no download, no install, no restart; all of it after the lesson', async () => {
    const { service, feed, test, quitAndInstall } = await setup({ config: { mode: 'auto' } })
    feed.serve('latest-linux.yml', { version: '0.2.0', file: appImage('0.2.0') })
    service.setLessonRunning(true)
    expect(await service.check('timer')).toMatchObject({ phase: 'idle', lessonRunning: true })
    expect(feed.requests).toEqual([])
    // The check deferred by the lesson runs when it ends.
    service.setLessonRunning(false)
    await vi.waitFor(() => expect(service.status().phase).toBe('ready'), { timeout: 10_000 })
    service.setLessonRunning(true)
    expect(service.status()).toMatchObject({ canRestart: false })
    expect(test.updater.autoInstallOnAppQuit).toBe(false)
    expect(() => service.install()).toThrow(UpdateRefusedError)
    test.quit() // quitting mid-lesson must not run the installer either
    expect(existsSync(join(test.dir, 'Duet-0.1.0.AppImage'))).toBe(true)
    expect(quitAndInstall).not.toHaveBeenCalled()
    service.setLessonRunning(false)
    expect(service.status().canRestart).toBe(true)
    expect(test.updater.autoInstallOnAppQuit).toBe(true)
    service.install()
    expect(quitAndInstall).toHaveBeenCalledWith(true, true)
    // electron-updater's installer really ran, then asked the app to quit.
    expect(sha512(readFileSync(join(test.dir, 'Duet-0.2.0.AppImage')))).toBe(sha512(appImage('0.2.0')))
    await vi.waitFor(() => expect(test.quitRequests()).toBe(1))
  })

  it('policy none: no request ever, no timers, status disabled', async () => {
    const { service, feed, timers, config } = await setup({ config: { mode: 'none' } })
    feed.serve('latest-linux.yml', { version: '0.2.0', file: appImage('0.2.0') })
    expect(await service.check()).toMatchObject({ phase: 'disabled' })
    expect(timers.pending()).toEqual([])
    expect(feed.requests).toEqual([])
    // Back on: checks are scheduled again.
    config.mode = 'manual'
    service.reconfigure()
    expect(service.status().phase).toBe('idle')
    expect(timers.pending()).toEqual([
      { ms: 30_000, repeat: false },
      { ms: 4 * 3_600_000, repeat: true },
    ])
  })

  it('a per-machine install this user cannot write to: "managed", no requests', async () => {
    const { service, feed } = await setup({ canInstall: false })
    feed.serve('latest-linux.yml', { version: '0.2.0', file: appImage('0.2.0') })
    expect(await service.check()).toMatchObject({ phase: 'managed' })
    expect(feed.requests).toEqual([])
  })

  it('the beta channel reads beta-linux.yml; switching channel re-checks on the new one', async () => {
    const { service, feed, config } = await setup({ config: { channel: 'beta' } })
    feed.serve('beta-linux.yml', { version: '0.2.0-beta.1', file: appImage('0.2.0-beta.1') })
    expect(await service.check()).toMatchObject({ phase: 'available', next: { version: '0.2.0-beta.1' } })
    config.channel = 'stable'
    service.reconfigure()
    expect(service.status().phase).toBe('idle')
    feed.serve('latest-linux.yml', { version: '0.1.0', file: appImage('0.1.0') })
    expect(await service.check()).toMatchObject({ phase: 'up-to-date' })
    expect(feed.requests).toEqual(['beta-linux.yml', 'latest-linux.yml'])
  })

  it('staged rollout: a release at 0 % is not offered, at 100 % it is', async () => {
    const { service, feed } = await setup()
    feed.serve('latest-linux.yml', { version: '0.2.0', file: appImage('0.2.0'), stagingPercentage: 0 })
    expect(await service.check()).toMatchObject({ phase: 'up-to-date' })
    feed.serve('latest-linux.yml', { version: '0.2.0', file: appImage('0.2.0'), stagingPercentage: 100 })
    expect(await service.check()).toMatchObject({ phase: 'available' })
  })

  it('install window: outside it the update waits (no install on quit, no restart button); inside it an idle app restarts to install', async () => {
    const now = { at: new Date(2026, 10, 23, 12, 0) }
    feed = await startFeed()
    test = createTestUpdater('0.1.0')
    const config: UpdateConfig = { mode: 'auto', channel: 'stable', feedUrl: feed.url, installWindow: '18:00-07:00', managedByPolicy: true }
    const service = new UpdateService({
      updater: test.updater,
      currentVersion: '0.1.0',
      config: () => config,
      canInstall: () => true,
      publish: () => {},
      timers: manualTimers(),
      now: () => now.at,
      logger: fakeLogger(),
    })
    const quitAndInstall = vi.spyOn(test.updater, 'quitAndInstall').mockImplementation(() => {})
    service.start()
    feed.serve('latest-linux.yml', { version: '0.2.0', file: appImage('0.2.0') })
    expect(await service.check()).toMatchObject({ phase: 'ready', canRestart: false, installWindow: '18:00-07:00' })
    expect(test.updater.autoInstallOnAppQuit).toBe(false)
    expect(() => service.install()).toThrow(/between 18:00-07:00/)
    service.setLessonRunning(true)
    now.at = new Date(2026, 10, 23, 18, 30)
    service.reconfigure()
    expect(quitAndInstall).not.toHaveBeenCalled() // a lesson is still running at 18:30
    service.setLessonRunning(false)
    expect(quitAndInstall).toHaveBeenCalledWith(true, true)
  })

  it('sorts errors into what a person can act on', () => {
    expect(classifyUpdateError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe('feed-unreachable')
    expect(classifyUpdateError(Object.assign(new Error('x'), { code: 'ENOSPC' })).code).toBe('disk')
    expect(classifyUpdateError(Object.assign(new Error('HttpError: 503'), { statusCode: 503 })).code).toBe('feed-unreachable')
    expect(classifyUpdateError(Object.assign(new Error('Cannot parse update info from latest.yml, rawData: <html>\nmore'), { code: 'ERR_UPDATER_INVALID_UPDATE_INFO' }))).toEqual({
      code: 'feed-invalid',
      message: 'Cannot parse update info from latest.yml',
    })
    expect(classifyUpdateError('weird').code).toBe('unknown')
  })
})
