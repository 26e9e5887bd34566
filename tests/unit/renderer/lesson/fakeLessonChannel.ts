import mitt from 'mitt'
import type { FatalCode, LessonChannel, SocketState } from '../../../../src/renderer/lesson/LessonSocket'
import type { ClientMessage, ServerMessage } from '../../../../src/shared/lesson/signaling'

/**
 * The lesson socket as a feature beside the room sees it (recording, chat):
 * `server(m)` delivers a server message, `sent` is what the feature sent,
 * `setOpen(false)` makes sends fail as on a dropped connection, `link(up)`
 * does that and tells the feature the socket's state (the server's welcome
 * follows a link that is back up).
 */
export function fakeLessonChannel() {
  const sent: ClientMessage[] = []
  const socket = mitt<{ message: ServerMessage; state: SocketState; fatal: { code: FatalCode; message: string } }>()
  let open = true
  const lesson: LessonChannel = {
    on: socket.on,
    off: socket.off,
    send: (m) => {
      if (!open) return false
      sent.push(m)
      return true
    },
  }
  const link = (up: boolean): void => {
    open = up
    socket.emit('state', up ? 'open' : 'reconnecting')
  }
  return { lesson, sent, server: (m: ServerMessage) => socket.emit('message', m), setOpen: (value: boolean) => void (open = value), link }
}
