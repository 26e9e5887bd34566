import { contextBridge, ipcRenderer } from 'electron'
import { SHARING_BAR_STOP_CHANNEL } from '../../src/shared/ipc'
import { appVersionFromArgv, buildBridge } from './bridge'
import { isSharingBar, wireSharingBar } from './sharingBar'

// Sandboxed preload. The sharing bar gets only its Stop button; every other
// window gets the typed, allow-listed bridge. One bundle serves both.
if (isSharingBar(process.argv)) {
  window.addEventListener('DOMContentLoaded', () => {
    wireSharingBar(document, () => ipcRenderer.send(SHARING_BAR_STOP_CHANNEL))
  })
} else {
  contextBridge.exposeInMainWorld('duet', buildBridge(ipcRenderer, appVersionFromArgv(process.argv)))
}
