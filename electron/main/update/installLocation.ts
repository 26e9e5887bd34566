import { dirname, resolve } from 'node:path'

/**
 * The folder an update has to replace: the .app bundle's folder on macOS,
 * the AppImage's folder, else the folder of the executable (Windows, deb,
 * rpm).
 */
export function installFolder(platform: NodeJS.Platform, execPath: string, env: Record<string, string | undefined>): string {
  if (platform === 'darwin') return dirname(resolve(execPath, '../../..'))
  if (platform === 'linux' && env.APPIMAGE) return dirname(env.APPIMAGE)
  return dirname(execPath)
}

/**
 * Whether this user can replace the installed app. Tried by writing a file,
 * because on Windows fs.access only reads the read-only flag, not the ACL
 * that keeps a standard user out of Program Files.
 */
export function canWriteFolder(folder: string, probeWrite: (folder: string) => void): boolean {
  try {
    probeWrite(folder)
    return true
  } catch {
    return false
  }
}
