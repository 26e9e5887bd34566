import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { createRequire, Module } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from 'builder-util-runtime'
import electronUpdater from 'electron-updater'
import type { AppAdapter } from 'electron-updater/out/AppAdapter'

/**
 * A real electron-updater (AppImageUpdater: GenericProvider, js-yaml,
 * staged rollout, download with sha512 verification) running in plain Node
 * against an HTTP feed the test serves. Only two seams are test-only: the
 * app adapter (electron-updater's own interface for "the app") and an HTTP
 * executor on node:http instead of Electron's net module; electron-builder's
 * own updater tests do the same. A third is outside electron-updater: once
 * quitAndInstall has run the installer it emits on Electron's own
 * autoUpdater (`require("electron")`), which has no binary here, so the
 * Node module cache answers that require with the one object it uses.
 */

const require = createRequire(import.meta.url)

/** What `require("electron")` gives electron-updater in these tests: Electron's autoUpdater event emitter. */
function provideElectronAutoUpdater(): void {
  const id = require.resolve('electron', { paths: [require.resolve('electron-updater')] })
  if (require.cache[id]?.loaded) return
  const fake = new Module(id)
  fake.filename = id
  fake.loaded = true
  fake.exports = { autoUpdater: new EventEmitter() }
  require.cache[id] = fake
}

/** electron-updater's ElectronHttpExecutor, on node:http. */
class NodeFeedExecutor extends HttpExecutor<http.ClientRequest> {
  createRequest(options: http.RequestOptions, callback: (response: http.IncomingMessage) => void): http.ClientRequest {
    return http.request(options, callback)
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: http.RequestOptions = { headers: options.headers ?? undefined }
      configureRequestUrl(url, requestOptions)
      configureRequestOptions(requestOptions)
      this.doDownload(requestOptions, { destination, options, onCancel, callback: (error) => (error ? reject(error) : resolve(destination)), responseHandler: null }, 0)
    })
  }
}

export interface FeedRelease {
  version: string
  /** The bytes served as Duet-<version>.AppImage. */
  file: Buffer
  releaseNotes?: string
  stagingPercentage?: number
  /** Lies the feed tells. */
  sha512?: string
  size?: number
}

export interface Feed {
  url: string
  /** What each request asked for, in order. */
  requests: string[]
  /** Replace what the feed serves (per channel file name). */
  serve(channelFile: string, body: string | FeedRelease, contentType?: string): void
  /** Serve the file cut short (a connection that drops mid-download, Content-Length honest). */
  truncateDownloads(bytes: number | null): void
  /** Send each sixteenth of a file this many ms apart (electron-updater reports progress once a second). */
  paceDownloads(ms: number): void
  close(): Promise<void>
}

export function sha512(data: Buffer): string {
  return createHash('sha512').update(data).digest('base64')
}

/** latest-linux.yml as electron-builder writes it. */
export function releaseYaml(release: FeedRelease): string {
  const name = `Duet-${release.version}.AppImage`
  const sha = release.sha512 ?? sha512(release.file)
  const size = release.size ?? release.file.length
  return [
    `version: ${release.version}`,
    'files:',
    `  - url: ${name}`,
    `    sha512: ${sha}`,
    `    size: ${size}`,
    `path: ${name}`,
    `sha512: ${sha}`,
    `releaseDate: '2026-11-20T10:00:00.000Z'`,
    ...(release.releaseNotes ? [`releaseNotes: ${JSON.stringify(release.releaseNotes)}`] : []),
    ...(release.stagingPercentage !== undefined ? [`stagingPercentage: ${release.stagingPercentage}`] : []),
  ].join('\n')
}

export async function startFeed(): Promise<Feed> {
  const requests: string[] = []
  const documents = new Map<string, { body: string; type: string }>()
  const files = new Map<string, Buffer>()
  let truncate: number | null = null
  let pace = 5
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://feed').pathname.slice(1)
    requests.push(path)
    const document = documents.get(path)
    if (document) {
      res.writeHead(200, { 'content-type': document.type })
      res.end(document.body)
      return
    }
    const file = files.get(path)
    if (!file) {
      res.writeHead(404).end('not found')
      return
    }
    const body = truncate === null ? file : file.subarray(0, truncate)
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) })
    // In pieces, so download progress has something to report.
    const piece = Math.max(1, Math.ceil(body.length / 16))
    let at = 0
    const pump = (): void => {
      if (at >= body.length) return void res.end()
      res.write(body.subarray(at, at + piece))
      at += piece
      setTimeout(pump, pace)
    }
    pump()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    requests,
    serve(channelFile, body, contentType = 'text/yaml') {
      if (typeof body === 'string') {
        documents.set(channelFile, { body, type: contentType })
        return
      }
      documents.set(channelFile, { body: releaseYaml(body), type: contentType })
      files.set(`Duet-${body.version}.AppImage`, body.file)
    },
    truncateDownloads(bytes) {
      truncate = bytes
    },
    paceDownloads(ms) {
      pace = ms
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface TestUpdater {
  updater: InstanceType<typeof electronUpdater.AppImageUpdater>
  dir: string
  /** The app quitting: electron-updater's on-quit install runs if armed. */
  quit(): void
  /** How many times electron-updater asked the app to quit (after an install). */
  quitRequests(): number
  cleanup(): void
}

export function createTestUpdater(version: string): TestUpdater {
  const dir = mkdtempSync(join(tmpdir(), 'duet-updater-'))
  mkdirSync(join(dir, 'userData'))
  mkdirSync(join(dir, 'cache'))
  // AppImageUpdater is active only inside an AppImage; this is "the running one".
  const appImage = join(dir, `Duet-${version}.AppImage`)
  writeFileSync(appImage, 'old')
  // What electron-builder writes into resources/ when electron-builder.yml has a publish feed.
  writeFileSync(join(dir, 'app-update.yml'), 'provider: generic\nurl: https://updates.duet.invalid/desktop\nupdaterCacheDirName: duet-updater\n')
  process.env.APPIMAGE = appImage
  const quitHandlers: ((code: number) => void)[] = []
  let quitRequests = 0
  provideElectronAutoUpdater()
  const app: AppAdapter = {
    version,
    name: 'Duet',
    isPackaged: true,
    appUpdateConfigPath: join(dir, 'app-update.yml'),
    userDataPath: join(dir, 'userData'),
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => {},
    quit: () => void quitRequests++,
    onQuit: (handler: (code: number) => void) => void quitHandlers.push(handler),
  }
  const updater = new electronUpdater.AppImageUpdater(null, app)
  // The one internal: electron-updater has no public way to swap Electron's net for node:http.
  ;(updater as unknown as { httpExecutor: HttpExecutor<http.ClientRequest> }).httpExecutor = new NodeFeedExecutor()
  updater.disableDifferentialDownload = true
  return {
    updater,
    dir,
    quit: () => quitHandlers.forEach((h) => h(0)),
    quitRequests: () => quitRequests,
    cleanup: () => {
      delete process.env.APPIMAGE
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
