import type { ChatRecordFile, LessonMarker } from '../recording/library'
import { CHAT_FILE_TYPES, type ChatFile } from './files'
import type { ChatMessage } from './schema'

export const CHAT_MESSAGE_MARKER = 'chat-message'

export interface ChatTranscriptLabels {
  title: string
  /** The line under the title (who, when). */
  when: string
  time: (at: number) => string
  /** How a file is named in the record ("File: homework.pdf"). */
  file: (name: string) => string
  /** The heading of a quoted AI answer. */
  quote: string
}

/** A quote as Markdown: every line behind "> " (a quoted quote stays one level deep). */
function quoted(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')
}

/**
 * The lesson's chat as one Markdown document for the lesson record (chat.md):
 * a line per message with its time and sender, the message as written
 * (Markdown and maths render in the library as they did in the lesson; raw
 * HTML stays text there too), files by name. null when nobody wrote.
 */
export function chatMarkdown(messages: readonly ChatMessage[], labels: ChatTranscriptLabels): string | null {
  if (messages.length === 0) return null
  const parts = [`# ${labels.title}`, `_${labels.when}_`]
  for (const message of messages) {
    const lines = [`**${message.from.name}** · ${labels.time(message.at)}`]
    if (message.quote) lines.push(`> **${labels.quote}**\n>\n${quoted(message.quote.text)}`)
    if (message.file) lines.push(`📎 ${labels.file(message.file.name)}`)
    if (message.text) lines.push(message.text)
    parts.push(lines.join('\n\n'))
  }
  return `${parts.join('\n\n---\n\n')}\n`
}

/** One timeline marker per message, at the moment it was sent. */
export function chatMarkers(messages: readonly ChatMessage[]): LessonMarker[] {
  return messages.map((m) => {
    const what = m.text.replace(/\s+/g, ' ').trim() || m.file?.name || ''
    return { at: m.at, kind: CHAT_MESSAGE_MARKER, label: `${m.from.name}: ${what}`.slice(0, 200) }
  })
}

/** Where a message's file is kept in the lesson record: its number and the type the server found (chat-12.pdf). */
export function chatRecordFile(seq: number, file: ChatFile): ChatRecordFile {
  return `chat-${seq}.${CHAT_FILE_TYPES[file.mime].ext}`
}
