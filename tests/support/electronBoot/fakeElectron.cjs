// A recording stand-in for the 'electron' module, for booting the built main process in
// plain Node (tests/unit/electron/main/boot.test.ts). It implements the APIs Duet's main
// process and its Electron libraries (electron-log, electron-store, electron-updater) call,
// records every call, and answers the test over the fork IPC channel: what was recorded,
// invoke an IPC handler as the window would, fetch through a registered protocol, emit
// navigation events, quit. An API it does not export fails the boot: extend it deliberately.
'use strict'
const { EventEmitter } = require('node:events')
const fs = require('node:fs')
const path = require('node:path')

const root = process.env.DUET_BOOT_DIR
if (!root) throw new Error('fakeElectron: DUET_BOOT_DIR is not set')

const calls = []
function plain(value) {
  return JSON.parse(
    JSON.stringify(value ?? null, (_key, v) => (typeof v === 'function' ? '[function]' : v instanceof Uint8Array ? '[bytes]' : v)),
  )
}
function record(api, ...args) {
  calls.push({ api, args: plain(args) })
}

// ---- app ----
const app = new EventEmitter()
let ready = false
let quitting = false
const readyPromise = new Promise((resolve) =>
  setImmediate(() => {
    ready = true
    app.emit('ready')
    resolve()
  }),
)
Object.assign(app, {
  name: 'Duet',
  isPackaged: false,
  commandLine: {
    // Chromium reads its switches as it starts: one appended after ready does nothing.
    appendSwitch: (...args) => {
      if (ready) throw new Error('app.commandLine.appendSwitch must be called before the app is ready')
      record('app.commandLine.appendSwitch', ...args)
    },
    hasSwitch: () => false,
    getSwitchValue: () => '',
  },
  getName: () => 'Duet',
  getVersion: () => JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')).version,
  getLocale: () => 'en-US',
  getAppPath: () => process.cwd(),
  getPath(name) {
    const dir = path.join(root, name)
    fs.mkdirSync(dir, { recursive: true })
    return dir
  },
  setPath: (...args) => record('app.setPath', ...args),
  enableSandbox: () => record('app.enableSandbox'),
  requestSingleInstanceLock: () => (record('app.requestSingleInstanceLock'), true),
  setAsDefaultProtocolClient: (...args) => (record('app.setAsDefaultProtocolClient', ...args), true),
  whenReady: () => (record('app.whenReady'), readyPromise),
  isReady: () => ready,
  relaunch: () => record('app.relaunch'),
  exit: (code) => (record('app.exit', code), finish()),
  quit() {
    record('app.quit')
    if (quitting) return
    // Electron: 'before-quit', then 'will-quit' (preventable), then 'quit'.
    app.emit('before-quit', { preventDefault: () => {} })
    let prevented = false
    app.emit('will-quit', { preventDefault: () => (prevented = true) })
    if (prevented) return
    quitting = true
    app.emit('quit', {}, 0)
    finish()
  },
})

// ---- windows and web contents ----
let nextId = 0
const windows = []
class WebContents extends EventEmitter {
  constructor() {
    super()
    this.id = ++nextId
    this.sent = []
    this.windowOpenHandler = null
  }
  send(channel, payload) {
    this.sent.push({ channel, payload: plain(payload) })
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler
  }
  isDestroyed() {
    return false
  }
  getURL() {
    return this.url ?? ''
  }
}
class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed)
  }
  static fromWebContents(contents) {
    return windows.find((w) => w.webContents === contents) ?? null
  }
  constructor(options = {}) {
    super()
    record('new BrowserWindow', options)
    this.options = plain(options)
    this.destroyed = false
    this.webContents = new WebContents()
    windows.push(this)
    app.emit('web-contents-created', {}, this.webContents)
  }
  loadURL(url) {
    record('BrowserWindow.loadURL', url)
    this.webContents.url = url
    setImmediate(() => this.emit('ready-to-show'))
    return Promise.resolve()
  }
  show() {}
  focus() {}
  hide() {}
  restore() {}
  isMinimized() {
    return false
  }
  isDestroyed() {
    return this.destroyed
  }
  close() {
    this.destroyed = true
    this.emit('closed')
  }
  getMediaSourceId() {
    return `window:${this.webContents.id}:0`
  }
  setContentProtection() {}
  setAlwaysOnTop() {}
  setBounds() {}
}

// ---- IPC, protocols, session ----
const invokeHandlers = new Map()
const ipcMain = new EventEmitter()
ipcMain.handle = (channel, handler) => {
  if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
  invokeHandlers.set(channel, handler)
}
ipcMain.removeHandler = (channel) => invokeHandlers.delete(channel)

const protocolHandlers = new Map()
const protocol = {
  registerSchemesAsPrivileged(schemes) {
    if (ready) throw new Error('protocol.registerSchemesAsPrivileged must be called before the app is ready')
    record('protocol.registerSchemesAsPrivileged', schemes)
  },
  handle(scheme, handler) {
    if (!ready) throw new Error('protocol.handle must be called after the app is ready')
    protocolHandlers.set(scheme, handler)
    record('protocol.handle', scheme)
  },
}

const sessionHandlers = {}
const defaultSession = {
  setPermissionRequestHandler: (h) => (sessionHandlers.permissionRequest = h),
  setPermissionCheckHandler: (h) => (sessionHandlers.permissionCheck = h),
  setDisplayMediaRequestHandler: (h) => (sessionHandlers.displayMedia = h),
  setDevicePermissionHandler: (h) => (sessionHandlers.devicePermission = h),
  webRequest: {
    onBeforeRequest: (filter, h) => (sessionHandlers.beforeRequest = { filter: plain(filter), handler: h }),
    onHeadersReceived: (filter, h) => (sessionHandlers.headersReceived = { filter: plain(filter), handler: h }),
  },
  on() {},
}
const session = { defaultSession, fromPartition: () => defaultSession }

// ---- the rest Duet touches ----
let blockerId = 0
const blockers = new Set()
const powerSaveBlocker = {
  start: (type) => (record('powerSaveBlocker.start', type), blockers.add(++blockerId), blockerId),
  stop: (id) => blockers.delete(id),
  isStarted: (id) => blockers.has(id),
}
class FakeNotification {
  static isSupported() {
    return true
  }
  constructor(options) {
    this.options = options
  }
  on() {
    return this
  }
  show() {
    record('Notification.show', this.options.title)
  }
  close() {}
}
const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: () => {
    throw new Error('Encryption is not available.')
  },
  decryptString: () => {
    throw new Error('Decryption is not available.')
  },
}
const shell = {
  openExternal: (url) => (record('shell.openExternal', url), Promise.resolve()),
  showItemInFolder: (p) => record('shell.showItemInFolder', p),
}
const dialog = {
  showSaveDialog: () => Promise.resolve({ canceled: true }),
  showErrorBox: (...args) => record('dialog.showErrorBox', ...args),
}
const fakeScreen = { getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1280, height: 800 } }) }
const desktopCapturer = { getSources: () => Promise.resolve([]) }
const systemPreferences = { getMediaAccessStatus: () => 'granted', askForMediaAccess: () => Promise.resolve(true) }
const webContents = { fromFrame: () => undefined, getAllWebContents: () => windows.map((w) => w.webContents) }
const autoUpdater = new EventEmitter() // electron-updater emits before-quit-for-update on it

// ---- talking to the test ----
function snapshot() {
  return {
    calls,
    windows: windows.map((w) => ({ options: w.options, url: w.webContents.url ?? null, sent: w.webContents.sent, listeners: w.webContents.eventNames() })),
    invokeChannels: [...invokeHandlers.keys()],
    ipcListeners: ipcMain.eventNames(),
    protocols: [...protocolHandlers.keys()],
    session: Object.fromEntries(Object.entries(sessionHandlers).map(([k, v]) => [k, v && typeof v === 'object' ? { filter: v.filter } : true])),
    appListeners: app.eventNames(),
  }
}

async function run(message) {
  switch (message.cmd) {
    case 'snapshot':
      return snapshot()
    case 'invoke': {
      const handler = invokeHandlers.get(message.channel)
      if (!handler) throw new Error(`no handler for ${message.channel}`)
      const event = { senderFrame: { url: message.senderUrl }, sender: windows[0]?.webContents }
      return plain(await handler(event, ...(message.args ?? [])))
    }
    case 'protocol': {
      const scheme = new URL(message.url).protocol.slice(0, -1)
      const response = await protocolHandlers.get(scheme)(new Request(message.url))
      const body = await response.text()
      return { status: response.status, headers: Object.fromEntries(response.headers), body: body.slice(0, 2000) }
    }
    case 'navigate': {
      // A page, or a frame inside it, starts to navigate: did the guard stop it?
      const contents = windows[message.window ?? 0].webContents
      let prevented = false
      const preventDefault = () => (prevented = true)
      if (message.frame) contents.emit('will-frame-navigate', { url: message.url, isMainFrame: false, preventDefault })
      else contents.emit('will-navigate', { preventDefault }, message.url)
      return { prevented }
    }
    case 'quit':
      app.quit()
      return { quitting }
    default:
      throw new Error(`unknown command ${message.cmd}`)
  }
}

function finish() {
  if (process.send) process.send({ event: 'quit' }, () => setImmediate(() => process.exit(0)))
  else process.exit(0)
}

if (process.send) {
  process.on('message', (message) => {
    run(message).then(
      (result) => process.send({ id: message.id, result }),
      (error) => process.send({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    )
  })
}

exports.app = app
exports.BrowserWindow = BrowserWindow
exports.ipcMain = ipcMain
exports.protocol = protocol
exports.session = session
exports.powerSaveBlocker = powerSaveBlocker
exports.Notification = FakeNotification
exports.safeStorage = safeStorage
exports.shell = shell
exports.dialog = dialog
exports.screen = fakeScreen
exports.desktopCapturer = desktopCapturer
exports.systemPreferences = systemPreferences
exports.webContents = webContents
exports.autoUpdater = autoUpdater
