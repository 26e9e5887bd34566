import type { ChatMessage } from '../../shared/chat/schema'
import { useHost } from '../host/current'
import { i18n } from '../i18n'

/**
 * A message in a thread between lessons that is not on screen: an OS
 * notification (the desktop app's main process shows it while the window is
 * in the background; a browser shows it if the person allowed it).
 */
export function notifyThreadMessage(thread: string, message: ChatMessage): void {
  const { t } = i18n.global
  const body = message.text.replace(/\s+/g, ' ').trim() || (message.file ? t('chat.recordFile', { name: message.file.name }) : '')
  void useHost()
    .notifications.show({ title: t('chat.notifyTitle', { name: message.from.name }).slice(0, 120), body: body.slice(0, 300), tag: thread })
    .catch((error: unknown) => console.warn('[duet] notification', error))
}
