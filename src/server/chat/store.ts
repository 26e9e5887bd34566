import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { ChatFileSchema, type ChatFile } from '../../shared/chat/files'
import { ChatMessageSchema, type ChatMessage } from '../../shared/chat/schema'
import { readJsonFile, writeFileAtomic } from '../../node/files'
import type { Logger } from '../logger'

/**
 * Where conversations live. A conversation is a lesson's chat (named by the
 * lesson id) or a thread between a student and their tutor. Messages
 * are appended, read marks are per reader (a role in a lesson, a person in a
 * thread), files are kept by their SHA-256. One interface: memory, the data
 * directory, and the database (chatTable.ts); the service above keeps what it loaded.
 */
export interface ChatLog {
  messages: ChatMessage[]
  /** Reader -> highest seq they have seen. */
  read: Record<string, number>
}

export interface ChatStore {
  load(conversation: string): Promise<ChatLog>
  append(conversation: string, message: ChatMessage): Promise<void>
  markRead(conversation: string, read: Record<string, number>): Promise<void>
  putFile(conversation: string, file: ChatFile, bytes: Uint8Array): Promise<void>
  getFile(conversation: string, id: string): Promise<{ file: ChatFile; bytes: Uint8Array } | null>
  files(conversation: string): Promise<ChatFile[]>
  conversations(): Promise<string[]>
  remove(conversation: string): Promise<void>
  /** Server shutdown: files are closed. */
  close(): void
}

/** Conversation names become folder names: lesson UUIDs and thread ids only. */
export const ConversationIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/)
const FileIdSchema = ChatFileSchema.shape.id
const ReadSchema = z.record(z.string().max(80), z.number().int().nonnegative())

export function memoryChatStore(): ChatStore {
  const logs = new Map<string, ChatLog>()
  const files = new Map<string, Map<string, { file: ChatFile; bytes: Uint8Array }>>()
  const logOf = (id: string): ChatLog => {
    let log = logs.get(id)
    if (!log) logs.set(id, (log = { messages: [], read: {} }))
    return log
  }
  return {
    load: async (id) => structuredClone(logOf(id)),
    append: async (id, message) => void logOf(id).messages.push(message),
    markRead: async (id, read) => void (logOf(id).read = { ...read }),
    async putFile(id, file, bytes) {
      let kept = files.get(id)
      if (!kept) files.set(id, (kept = new Map()))
      kept.set(file.id, { file, bytes })
    },
    getFile: async (id, fileId) => files.get(id)?.get(fileId) ?? null,
    files: async (id) => [...(files.get(id)?.values() ?? [])].map((f) => f.file),
    conversations: async () => [...new Set([...logs.keys(), ...files.keys()])],
    async remove(id) {
      logs.delete(id)
      files.delete(id)
    },
    close: () => {},
  }
}

/** Open message logs kept at most (the least recently written is closed first). */
const MAX_OPEN_LOGS = 64

/**
 * <dataDir>/chat/<conversation>/messages.jsonl   one ChatMessage per line, appended
 *                                /read.json        read marks (atomic rewrite)
 *                                /files/<sha256>   the bytes; <sha256>.json its ChatFile
 * A torn or invalid line (a crash mid-append, a hand edit) is skipped and logged.
 */
export class FileChatStore implements ChatStore {
  private readonly root: string
  /** Conversation -> open messages.jsonl, in least-recently-written order. */
  private readonly open = new Map<string, number>()

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.root = path.join(dataDir, 'chat')
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 })
  }

  private dir(conversation: string): string {
    return path.join(this.root, ConversationIdSchema.parse(conversation))
  }

  private async ensureDir(conversation: string): Promise<string> {
    const dir = this.dir(conversation)
    await fs.promises.mkdir(path.join(dir, 'files'), { recursive: true, mode: 0o700 })
    return dir
  }

  async load(conversation: string): Promise<ChatLog> {
    const dir = this.dir(conversation)
    const messages: ChatMessage[] = []
    let text = ''
    try {
      text = await fs.promises.readFile(path.join(dir, 'messages.jsonl'), 'utf8')
    } catch {
      // no messages yet
    }
    let skipped = 0
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      try {
        const parsed = ChatMessageSchema.safeParse(JSON.parse(line))
        if (parsed.success) messages.push(parsed.data)
        else skipped += 1
      } catch {
        skipped += 1
      }
    }
    if (skipped > 0) this.logger.warn('Unreadable chat lines skipped', { conversation, skipped })
    // Two appends racing may land out of order; seq is the truth.
    messages.sort((a, b) => a.seq - b.seq)
    const read = readJsonFile(path.join(dir, 'read.json'), ReadSchema, this.logger) ?? {}
    return { messages, read }
  }

  /**
   * One write(2) on a file kept open, done synchronously: a message is a few
   * hundred bytes into the page cache (microseconds), while fs.promises would
   * take three trips through libuv's thread pool (open, write, close), each
   * waiting its turn on a busy machine, before the message may be relayed.
   */
  async append(conversation: string, message: ChatMessage): Promise<void> {
    fs.writeSync(this.logFd(conversation), `${JSON.stringify(message)}\n`)
  }

  private logFd(conversation: string): number {
    let fd = this.open.get(conversation)
    if (fd === undefined) {
      const dir = this.dir(conversation)
      fs.mkdirSync(path.join(dir, 'files'), { recursive: true, mode: 0o700 })
      fd = fs.openSync(path.join(dir, 'messages.jsonl'), 'a', 0o600)
      if (this.open.size >= MAX_OPEN_LOGS) this.closeLog(this.open.keys().next().value ?? '')
    } else {
      this.open.delete(conversation)
    }
    this.open.set(conversation, fd)
    return fd
  }

  private closeLog(conversation: string): void {
    const fd = this.open.get(conversation)
    if (fd === undefined) return
    this.open.delete(conversation)
    try {
      fs.closeSync(fd)
    } catch (error) {
      this.logger.warn('Could not close a chat log', { conversation, error: String(error) })
    }
  }

  close(): void {
    for (const conversation of [...this.open.keys()]) this.closeLog(conversation)
  }

  async markRead(conversation: string, read: Record<string, number>): Promise<void> {
    const dir = await this.ensureDir(conversation)
    writeFileAtomic(path.join(dir, 'read.json'), JSON.stringify(read))
  }

  async putFile(conversation: string, file: ChatFile, bytes: Uint8Array): Promise<void> {
    const dir = path.join(await this.ensureDir(conversation), 'files')
    const id = FileIdSchema.parse(file.id)
    writeFileAtomic(path.join(dir, id), bytes)
    writeFileAtomic(path.join(dir, `${id}.json`), JSON.stringify(file))
  }

  async getFile(conversation: string, id: string): Promise<{ file: ChatFile; bytes: Uint8Array } | null> {
    if (!FileIdSchema.safeParse(id).success || !ConversationIdSchema.safeParse(conversation).success) return null
    const dir = path.join(this.dir(conversation), 'files')
    const file = readJsonFile(path.join(dir, `${id}.json`), ChatFileSchema, this.logger)
    if (!file || file.id !== id) return null
    try {
      return { file, bytes: new Uint8Array(await fs.promises.readFile(path.join(dir, id))) }
    } catch {
      return null
    }
  }

  async files(conversation: string): Promise<ChatFile[]> {
    const dir = path.join(this.dir(conversation), 'files')
    let names: string[]
    try {
      names = await fs.promises.readdir(dir)
    } catch {
      return []
    }
    const out: ChatFile[] = []
    for (const name of names) {
      if (!name.endsWith('.json')) continue
      const file = readJsonFile(path.join(dir, name), ChatFileSchema, this.logger)
      if (file) out.push(file)
    }
    return out
  }

  async conversations(): Promise<string[]> {
    return (await fs.promises.readdir(this.root)).filter((name) => ConversationIdSchema.safeParse(name).success)
  }

  async remove(conversation: string): Promise<void> {
    this.closeLog(conversation)
    await fs.promises.rm(this.dir(conversation), { recursive: true, force: true })
  }
}
