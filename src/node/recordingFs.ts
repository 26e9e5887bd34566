import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { FileInfo, RecordingFile, RecordingFs } from '../shared/recording/fs'

async function openFile(file: string, mode: 'r' | 'w' | 'wx'): Promise<RecordingFile> {
  const handle = await fs.open(file, mode, 0o600)
  let closed = false
  return {
    async write(data, position) {
      let done = 0
      // A regular file may take fewer bytes than asked (a nearly full disk); keep going until it refuses.
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, position + done)
        if (bytesWritten === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })
        done += bytesWritten
      }
    },
    async read(position, length) {
      const buffer = Buffer.alloc(length)
      const { bytesRead } = await handle.read(buffer, 0, length, position)
      return new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead)
    },
    sync: () => handle.sync(),
    truncate: (length) => handle.truncate(length),
    size: async () => (await handle.stat()).size,
    async close() {
      if (closed) return
      closed = true
      await handle.close()
    },
  }
}

/** The real disk, for the session server and the Electron main process. */
export const nodeRecordingFs: RecordingFs = {
  join: (...parts) => path.join(...parts),
  open: openFile,
  readFile: async (file) => new Uint8Array(await fs.readFile(file)),
  async writeFileAtomic(file, data) {
    const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`
    try {
      const handle = await fs.open(temp, 'w', 0o600)
      try {
        await handle.writeFile(data)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await fs.rename(temp, file)
    } catch (error) {
      await fs.rm(temp, { force: true })
      throw error
    }
  },
  async appendFile(file, data) {
    const handle = await fs.open(file, 'a', 0o600)
    try {
      await handle.appendFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
  readdir: (dir) => fs.readdir(dir),
  async stat(file): Promise<FileInfo | null> {
    try {
      const s = await fs.stat(file)
      return { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory() }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  },
  mkdir: async (dir) => void (await fs.mkdir(dir, { recursive: true, mode: 0o700 })),
  rm: (target) => fs.rm(target, { recursive: true, force: true }),
  rename: (from, to) => fs.rename(from, to),
  async freeBytes(file) {
    try {
      const s = await fs.statfs(file)
      return s.bavail * s.bsize
    } catch {
      return null
    }
  },
}
