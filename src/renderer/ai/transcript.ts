import { conversationToMarkdown, type MarkdownLabels } from '../../shared/ai/conversation'
import type { PanelMessage } from './stores/aiStore'

/** Copies text; falls back to a hidden textarea where the Clipboard API is off (plain-http LAN pages). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    const ok = document.execCommand('copy')
    area.remove()
    return ok
  }
}

/** The conversation as Markdown; follow-up buttons appear as the words on them. */
export function transcriptMarkdown(messages: PanelMessage[], labels: MarkdownLabels, when: string, actionLabel: (action: string) => string | null): string {
  const shown = messages
    .filter((m) => m.status !== 'streaming' || m.text)
    .map((m) => ({
      id: m.id,
      role: m.role,
      text: m.role === 'user' && m.action && m.action !== 'ask' ? (actionLabel(m.action) ?? m.text) : m.text,
      at: 0,
      attempt: m.attempt,
      image: m.image,
      status: m.status === 'streaming' ? ('stopped' as const) : m.status,
    }))
  return conversationToMarkdown({ messages: shown }, labels, when)
}

/** Saves text as a file through a temporary link (the browser or Electron asks where). */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
