import { contextBridge, ipcRenderer } from 'electron'
import { appVersionFromArgv, buildBridge } from './bridge'

// Sandboxed preload: the only thing it does is expose the typed, allow-listed bridge.
contextBridge.exposeInMainWorld('duet', buildBridge(ipcRenderer, appVersionFromArgv(process.argv)))
