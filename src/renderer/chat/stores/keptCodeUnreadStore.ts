import { defineStore } from 'pinia'
import { reactive } from 'vue'
import type { ThreadServerMessage } from '../../../shared/chat/thread'
import { samePerson, type Participant } from '../../../shared/lesson/lesson'
import { playMessageSound } from '../chatSound'
import { notifyThreadMessage } from '../threadNotice'
import { ThreadSocket } from '../ThreadSocket'
import { useThreadsStore, type ThreadLink } from './threadsStore'

/** What this page knows of one kept code's threads. */
export interface KeptCodeState {
  socket: 'connecting' | 'open' | 'closed' | 'refused'
  /** Unread per thread (a student's link has one). */
  unread: Map<string, number>
}

const keyOf = (link: ThreadLink): string => `${link.server}\n${link.token}`

/**
 * The unread counts of a student's kept personal codes (records/myCodes.ts)
 * that the threads store does not follow, live. The threads store follows one
 * link in full (its threads, messages, drafts); a student with two tutors
 * keeps two personal codes, and the other would otherwise be counted once and
 * never again. Each code here has a socket of its own that
 * only counts: the welcome's unread counts, each message from the other
 * person (with the sound and the OS notification), each read on another
 * device. While the threads store follows the same link, it counts and
 * notifies for it, and this one keeps counting quietly, so the count is
 * right again the moment it stops following.
 */
export const useKeptCodeUnreadStore = defineStore('keptCodeUnread', () => {
  const links = reactive(new Map<string, KeptCodeState>())
  const sockets = new Map<string, ThreadSocket>()

  /** Starts counting `link`'s unread messages (once per link; a refused one is tried again). */
  function watch(link: ThreadLink): void {
    const key = keyOf(link)
    const known = links.get(key)
    if (known && known.socket !== 'refused') return
    sockets.get(key)?.close()
    links.set(key, { socket: 'connecting', unread: new Map() })
    const state = links.get(key) as KeptCodeState
    let self: Participant | null = null
    const onMessage = (message: ThreadServerMessage): void => {
      switch (message.type) {
        case 'thread-welcome':
          self = message.self
          state.unread.clear()
          for (const summary of message.threads) state.unread.set(summary.thread, summary.unread)
          break
        case 'chat-message': {
          if (samePerson(message.message.from, self)) break
          state.unread.set(message.thread, (state.unread.get(message.thread) ?? 0) + 1)
          // The threads store, following this link, plays and notifies itself.
          if (useThreadsStore().follows(link)) break
          playMessageSound()
          notifyThreadMessage(message.thread, message.message)
          break
        }
        case 'chat-read':
          state.unread.set(message.thread, message.unread)
          break
        default:
          break
      }
    }
    sockets.set(key, new ThreadSocket(link.server, link.token, onMessage, (s) => (state.socket = s)))
  }

  /** The link's unread messages while its socket is open; null when not counted live (not watched, or its socket is down). */
  function unreadOf(link: ThreadLink): number | null {
    const state = links.get(keyOf(link))
    if (state?.socket !== 'open') return null
    return [...state.unread.values()].reduce((a, b) => a + b, 0)
  }

  /** Whether the link is watched and its socket is down (not yet open, dropped, refused). */
  function down(link: ThreadLink): boolean {
    const state = links.get(keyOf(link))
    return state !== undefined && state.socket !== 'open' && state.socket !== 'connecting'
  }

  /** Stops counting `link` (the student removed it from this device). */
  function unwatch(link: ThreadLink): void {
    const key = keyOf(link)
    sockets.get(key)?.close()
    sockets.delete(key)
    links.delete(key)
  }

  return { links, watch, unwatch, unreadOf, down }
})
