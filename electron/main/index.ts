/**
 * Electron main entry: wiring only. Every decision lives in a service or a
 * pure function next to this file, tested in plain Node with fakes.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, watch } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { homedir, userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import {
  app,
  BrowserWindow,
  desktopCapturer,
  dialog,
  ipcMain,
  powerSaveBlocker,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  systemPreferences,
  webContents,
} from 'electron'
import log from 'electron-log/main'
import electronUpdater from 'electron-updater'
import { createSessionServer } from '../../src/server/index'
import { lanAddresses } from '../../src/node/lan'
import { isHttpUrl, SHARING_BAR_STOP_CHANNEL } from '../../src/shared/ipc'
import { APP_ENTRY_URL, APP_SCHEME, appUrlChecker } from './appOrigin'
import { captureMode, chromiumFeatures } from './capture/captureMode'
import { createInvokeHandlers } from './ipc/handlers'
import { createRecording } from './recording/createRecording'
import { sendEvent } from './ipc/events'
import { IpcRouter } from './ipc/router'
import { hostedServerPolicy, updateConfig, wireManagedChanges } from './managed'
import { exportRegistryKey } from './policy/regExport'
import { policySources } from './policy/sources'
import { probeWrite } from './fsProbe'
import { resolveLibraryRoot } from './recording/libraryRoot'
import { NETWORK_URL_PATTERNS, serverOnlyBlocks } from './security/serverOnly'
import { nodeTimers } from './timers'
import { canWriteFolder, installFolder } from './update/installLocation'
import { createAppProtocolHandler } from './protocol/appProtocol'
import { withCsp } from './security/csp'
import { installPermissionHandlers } from './security/permissions'
import { guardWebContents } from './security/webContentsGuard'
import { secureWebPreferences } from './security/webPreferences'
import { AiSettingsService } from './services/AiSettingsService'
import { DEEP_LINK_SCHEME, DeepLinkService } from './services/DeepLinkService'
import { DisplayMediaService } from './services/DisplayMediaService'
import { LessonServerHost } from './services/LessonServerHost'
import { NotificationService } from './services/NotificationService'
import { PermissionsService } from './services/PermissionsService'
import { LessonActivity } from './services/LessonActivity'
import { PolicyService } from './services/PolicyService'
import { PowerService } from './services/PowerService'
import { SettingsService } from './services/SettingsService'
import { SharingBarService } from './services/SharingBarService'
import { UpdateService } from './services/UpdateService'
import { createBarWindow } from './sharingBar/barWindow'
import { barLocale, renderSharingBarPage, SHARING_BAR_BACKGROUND, sharingBarUrl } from './sharingBar/page'
import { openSettingsStore } from './store'
import { WEBRTC_FIELD_TRIALS } from './webrtc/fieldTrials'
import { bringToFront } from './window'

log.errorHandler.startCatching({ showDialog: false })

// Must run before the app is ready.
app.enableSandbox()
const captureEnv = { platform: process.platform, env: process.env }
const features = chromiumFeatures(captureEnv)
if (features.length > 0) app.commandLine.appendSwitch('enable-features', features.join(','))
// Browser-wide WebRTC settings a page cannot make (why: webrtc/fieldTrials.ts).
app.commandLine.appendSwitch('force-fieldtrials', WEBRTC_FIELD_TRIALS)
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

// electron-vite dev server; never honoured in a packaged build.
const rendererUrlEnv = process.env.ELECTRON_RENDERER_URL
const devServerUrl = !app.isPackaged && rendererUrlEnv && isHttpUrl(rendererUrlEnv) ? rendererUrlEnv : null
const isAppUrl = appUrlChecker(devServerUrl)
const preloadPath = join(import.meta.dirname, '../preload/index.cjs')

let mainWindow: BrowserWindow | null = null

const deepLinks = new DeepLinkService({
  deliver: (invite) => sendEvent(mainWindow?.webContents ?? null, 'invite', invite, log),
  focusWindow: () => bringToFront(mainWindow),
  logger: log,
})

if (!app.requestSingleInstanceLock()) {
  // The first instance gets our argv through 'second-instance'.
  app.quit()
} else {
  registerProtocolClient()
  app.on('second-instance', (_event, argv) => deepLinks.handleSecondInstance(argv))
  app.on('open-url', (event, url) => {
    event.preventDefault()
    deepLinks.handleOpenUrl(url)
  })
  deepLinks.handleArgv(process.argv)
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, { isAppUrl, openExternal: (url) => shell.openExternal(url), logger: log }),
  )
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => log.error('app failed to start:', error))
}

function registerProtocolClient(): void {
  // In dev the OS must launch electron with our app path, not a bare binary.
  const script = process.argv[1]
  if (process.defaultApp && script) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(script)])
  else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)
}

async function start(): Promise<void> {
  // The school's policy first: it decides settings, the hosted server, updates and where recordings go.
  const policy = new PolicyService({
    sources: policySources(process.platform, {
      readFile: (path) => readFile(path),
      exportRegistryKey: exportRegistryKey(process.env),
      env: process.env,
      username: userInfo().username,
    }),
    logger: log,
    watchDir: (dir, onChange) => watch(dir, onChange),
    timers: nodeTimers,
  })
  await policy.refresh()
  policy.watch()

  const settingsStore = openSettingsStore(log)
  const settings = new SettingsService({ store: settingsStore, logger: log, policy })
  const lesson = new LessonActivity(log)
  const power = new PowerService(powerSaveBlocker)
  const webRoot = app.isPackaged ? join(process.resourcesPath, 'web') : join(app.getAppPath(), 'dist', 'web')
  // The embedded server's AI: Settings (key sealed with safeStorage) under the school's policy.
  const aiSettings: AiSettingsService = new AiSettingsService({
    store: settingsStore,
    secrets: safeStorage,
    policy,
    platform: process.platform,
    apply: () => lessonServer.applyAi(),
    applies: () => lessonServer.aiState(),
    logger: log,
  })
  const lessonServer = new LessonServerHost({
    createSessionServer,
    lanAddresses,
    schoolServerUrl: () => settings.get().serverUrl,
    dataDir: join(app.getPath('userData'), 'session-server'),
    webRoot: existsSync(join(webRoot, 'index.html')) ? webRoot : null,
    logger: log,
    aiConfig: () => aiSettings.serverConfig(),
    allowedOrigins: devServerUrl ? [new URL(devServerUrl).origin] : [],
    serverPolicy: () => hostedServerPolicy(settings.get(), policy.current()),
    lessonRunning: () => lesson.running,
  })
  const updates = new UpdateService({
    updater: electronUpdater.autoUpdater,
    currentVersion: app.getVersion(),
    config: () => updateConfig(settings.get(), policy.current()),
    canInstall: () => canWriteFolder(installFolder(process.platform, process.execPath, process.env), probeWrite),
    publish: (status) => sendEvent(mainWindow?.webContents ?? null, 'update:status', status, log),
    timers: nodeTimers,
    now: () => new Date(),
    logger: log,
  })
  lesson.onChange((running) => {
    power.setLessonActive(running)
    updates.setLessonRunning(running)
    if (!running) void lessonServer.lessonEnded()
  })
  const managed = wireManagedChanges({
    policy,
    settings,
    applyAi: () => lessonServer.applyAi(),
    applyServerPolicy: () => lessonServer.applyServerPolicy(),
    updates,
    notify: {
      policy: (view) => sendEvent(mainWindow?.webContents ?? null, 'policy:changed', view, log),
      settings: (next) => sendEvent(mainWindow?.webContents ?? null, 'settings:changed', next, log),
    },
    logger: log,
  })
  updates.start()

  const permissions = new PermissionsService({
    platform: process.platform,
    systemPreferences,
    openExternal: (url) => shell.openExternal(url),
    logger: log,
  })
  const sharingBar = new SharingBarService({
    createWindow: (options) => createBarWindow(options, preloadPath, app.getVersion()),
    primaryWorkArea: () => screen.getPrimaryDisplay().workArea,
    pageUrl: () => sharingBarUrl(barLocale(settings.get().locale, app.getLocale())),
    backgroundColor: SHARING_BAR_BACKGROUND,
    requestStop: () => sendEvent(mainWindow?.webContents ?? null, 'sharing:stopRequested', {}, log),
    platform: process.platform,
    logger: log,
  })
  const displayMedia = new DisplayMediaService({
    getSources: (query) => desktopCapturer.getSources(query),
    // Every Duet window (main window, sharing bar) is left out of the picker.
    ownMediaSourceIds: () => BrowserWindow.getAllWindows().flatMap((w) => (w.isDestroyed() ? [] : [w.getMediaSourceId()])),
    sendRequest: (request) => sendEvent(mainWindow?.webContents ?? null, 'screenPicker:request', request, log),
    isAppUrl,
    screenStatus: () => permissions.screenStatus(),
    platform: process.platform,
    mode: captureMode(captureEnv),
    newId: randomUUID,
    logger: log,
  })

  const defaultLibrary = join(app.getPath('userData'), 'library')
  const libraryRoot = resolveLibraryRoot({
    policyFolder: policy.current().enforced.RecordingFolder,
    defaultRoot: defaultLibrary,
    home: homedir(),
    mkdir: (path) => void mkdirSync(path, { recursive: true }),
    probeWrite,
  })
  if (libraryRoot.problem) policy.note({ source: 'RecordingFolder', policy: 'RecordingFolder', message: libraryRoot.problem })
  const { recording, library, media } = createRecording({
    libraryRoot: libraryRoot.root,
    logger: log,
    showItemInFolder: (path) => shell.showItemInFolder(path),
    chooseSavePath: async (defaultName, extension) => {
      const options = { defaultPath: defaultName, filters: [{ name: extension.toUpperCase(), extensions: [extension] }] }
      const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options)
      return result.canceled || !result.filePath ? null : result.filePath
    },
  })
  void recording.start()
  const notifications = new NotificationService({
    isSupported: () => Notification.isSupported(),
    create: (options) => new Notification(options),
    windowFocused: () => mainWindow?.isFocused() ?? false,
    focusWindow: () => {
      if (!mainWindow || mainWindow.isDestroyed()) return
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.show()
      mainWindow.focus()
    },
    logger: log,
  })

  const appFiles = createAppProtocolHandler({
    root: join(import.meta.dirname, '../renderer'),
    readFile: (p) => readFile(p),
    logger: log,
    generatedPage: renderSharingBarPage,
  })
  // Library recordings and thumbnails (with ranges, for seeking) first, then the app itself.
  protocol.handle(APP_SCHEME, (request) => media(request) ?? appFiles(request))
  installPermissionHandlers(session.defaultSession, isAppUrl, () => ({ camera: true, microphone: true, screen: true }), log)
  // ServerUrlOnly: the window reaches the school's server and nothing else, whatever an invite says.
  const blocked = serverOnlyBlocks(() => policy.view().onlyServer, isAppUrl)
  session.defaultSession.webRequest.onBeforeRequest({ urls: NETWORK_URL_PATTERNS }, (details, callback) => {
    const cancel = blocked(details.url)
    if (cancel) log.warn('blocked a request outside the school server:', details.url.slice(0, 200))
    callback({ cancel })
  })
  session.defaultSession.setDisplayMediaRequestHandler((request, callback) => {
    const asker = request.frame ? webContents.fromFrame(request.frame) : undefined
    const fromMainWindow = asker !== undefined && mainWindow !== null && asker.id === mainWindow.webContents.id
    const { securityOrigin, videoRequested, audioRequested } = request
    void displayMedia.handleRequest({ securityOrigin, videoRequested, audioRequested, fromMainWindow }, callback)
  })
  // The bar's Stop: a one-way message, accepted only from the bar's own web contents.
  ipcMain.on(SHARING_BAR_STOP_CHANNEL, (event) => sharingBar.handleStop(event.sender.id))
  if (devServerUrl) {
    // app:// responses carry the CSP themselves; dev server responses get it here.
    session.defaultSession.webRequest.onHeadersReceived({ urls: [`${new URL(devServerUrl).origin}/*`] }, (details, callback) =>
      callback({ responseHeaders: withCsp(details.responseHeaders) }),
    )
  }

  new IpcRouter({ ipcMain, isAppUrl, logger: log }).register(
    createInvokeHandlers({
      settings: {
        get: () => settings.get(),
        update: async (patch) => {
          settings.update(patch)
          await managed.settingsChanged()
          return settings.get()
        },
      },
      lessonServer,
      lesson,
      deepLinks,
      displayMedia,
      sharingBar,
      permissions,
      appInfo: () => ({ version: app.getVersion(), platform: process.platform, locale: app.getLocale() }),
      openExternal: (url) => shell.openExternal(url),
      recording,
      library,
      aiSettings,
      policy,
      updates,
      notifications,
    }),
  )

  let cleanedUp = false
  app.on('will-quit', (event) => {
    power.dispose()
    notifications.dispose()
    policy.dispose()
    updates.dispose()
    displayMedia.dispose()
    sharingBar.dispose()
    if (cleanedUp) return
    // Close the lesson server (persists lessons) before exiting; never hang the quit on it.
    event.preventDefault()
    cleanedUp = true
    const timeout = new Promise((done) => setTimeout(done, 3000))
    Promise.race([Promise.all([lessonServer.close(), recording.shutdown()]), timeout])
      .catch((error: unknown) => log.error('lesson server close failed:', error))
      .finally(() => app.quit())
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  // A reload, crash or closed window: pending invites queue again, an open picker is cancelled, the bar goes.
  const pageGone = (): void => {
    lesson.set(false)
    deepLinks.rendererGone()
    displayMedia.rendererGone()
    sharingBar.rendererGone()
    recording.rendererGone()
  }
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(pageGone)
  })

  createMainWindow(pageGone)
}

function createMainWindow(pageGone: () => void): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Duet',
    webPreferences: secureWebPreferences(preloadPath, app.getVersion()),
  })
  mainWindow = win
  win.once('ready-to-show', () => win.show())
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null
    pageGone()
  })
  // A reload or crash means the page must say "ready" again before invites are pushed.
  win.webContents.on('did-start-navigation', (_event, _url, isInPlace, isMainFrame) => {
    if (isMainFrame && !isInPlace) pageGone()
  })
  win.webContents.on('render-process-gone', (_event, details) => {
    log.error('renderer gone:', details.reason)
    pageGone()
  })
  void win.loadURL(devServerUrl ?? APP_ENTRY_URL).catch((error: unknown) => log.error('failed to load the app:', error))
}
