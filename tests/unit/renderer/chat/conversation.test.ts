import { afterEach, describe, expect, it, vi } from 'vitest'
import { isReactive } from 'vue'
import { TYPING_REPEAT_MS, TYPING_SHOWN_MS } from '../../../../src/shared/chat/limits'
import type { ChatFile } from '../../../../src/shared/chat/files'
import type { ChatDraft, ChatMessage } from '../../../../src/shared/chat/schema'
import type { ChatFiles } from '../../../../src/renderer/chat/chatFiles'
import { ACK_TIMEOUT_MS, Conversation, mergeBySeq } from '../../../../src/renderer/chat/stores/conversation'
import { ApiRequestError } from '../../../../src/renderer/lesson/ApiRequestError'

const tutor = { id: 'p-tutor', name: 'Ms Li', role: 'tutor' as const }

function msg(seq: number, text = `m${seq}`): ChatMessage {
  return { id: `id-${seq}`, seq, at: 1_700_000_000_000 + seq, from: tutor, text }
}

/** A conversation on a fake wire: what it sent, typing frames, and a switch for the socket being open. */
function onWire(upload?: (file: File) => Promise<ChatFile>) {
  const sent: { clientId: string; draft: ChatDraft }[] = []
  const typing: boolean[] = []
  const wire = { open: true }
  const files = upload ? ({ upload } as unknown as ChatFiles) : null
  const conversation = new Conversation({
    send: (clientId, draft) => {
      if (wire.open) sent.push({ clientId, draft })
      return wire.open
    },
    typing: (t) => typing.push(t),
    files: () => files,
  })
  return { conversation, state: conversation.state, sent, typing, wire }
}

afterEach(() => vi.useRealTimers())

describe('a conversation', () => {
  it('shows a message that got no answer as not sent, and Try again sends it under the same id', () => {
    vi.useFakeTimers()
    const { conversation, state, sent } = onWire()
    expect(conversation.send('hello')).toBe(true)
    vi.advanceTimersByTime(ACK_TIMEOUT_MS - 1)
    expect(state.pending[0]?.status).toBe('sending')
    vi.advanceTimersByTime(1)
    expect(state.pending[0]).toMatchObject({ status: 'failed', problem: 'no_answer' })
    expect(state.problem).toEqual({ code: 'no_answer' })
    conversation.retry(state.pending[0]!.clientId)
    expect(sent.map((s) => s.clientId)).toEqual([sent[0]!.clientId, sent[0]!.clientId])
    expect(state.problem).toBeNull()
    // The answer comes: the pending bubble goes, and no late timer marks it failed.
    conversation.receive(msg(1, 'hello'), sent[0]!.clientId)
    vi.advanceTimersByTime(ACK_TIMEOUT_MS)
    expect(state.pending).toEqual([])
    expect(state.problem).toBeNull()
  })

  it('refuses an empty or too long message without sending; sends nothing while the socket is down and says so', () => {
    const { conversation, state, sent, wire } = onWire()
    expect(conversation.send('   ')).toBe(false)
    expect(conversation.send('x'.repeat(100_000))).toBe(false)
    wire.open = false
    expect(conversation.send('still here')).toBe(true)
    expect(sent).toEqual([])
    expect(state.pending[0]).toMatchObject({ text: 'still here', status: 'failed', problem: 'offline' })
  })

  it('uploads a file before its message goes; a failed upload says why and Try again uploads again', async () => {
    let fail = true
    const upload = vi.fn(async (file: File): Promise<ChatFile> => {
      if (fail) throw new ApiRequestError('network', 'upload failed', 'http://127.0.0.1:1')
      return { id: 'f1', name: file.name, mime: 'image/png', bytes: file.size } as ChatFile
    })
    const { conversation, state, sent } = onWire(upload)
    await conversation.sendFile(new File([new Uint8Array([1, 2, 3])], 'sum.png', { type: 'image/png' }), ' my working ')
    expect(state.pending[0]).toMatchObject({ fileName: 'sum.png', status: 'failed', problem: 'network', draft: null })
    expect(sent).toEqual([])
    fail = false
    conversation.retry(state.pending[0]!.clientId)
    await vi.waitFor(() => expect(sent).toHaveLength(1))
    expect(upload).toHaveBeenCalledTimes(2)
    expect(sent[0]?.draft).toEqual({ kind: 'file', fileId: 'f1', text: 'my working' })
    expect(state.pending[0]?.status).toBe('sending')
  })

  it('sends "typing" at most every few seconds, and that it stopped when the person pauses, sends or clears', () => {
    vi.useFakeTimers()
    const { conversation, typing } = onWire()
    conversation.typing(true)
    conversation.typing(true)
    expect(typing).toEqual([true])
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1000)
    expect(typing).toEqual([true, false])
    vi.advanceTimersByTime(TYPING_REPEAT_MS)
    conversation.typing(true)
    conversation.send('done')
    expect(typing).toEqual([true, false, true, false])
    conversation.typing(false)
    expect(typing).toEqual([true, false, true, false])
  })

  it('shows the other person typing until they go quiet; dispose stops every timer', () => {
    vi.useFakeTimers()
    const { conversation, state } = onWire()
    conversation.showTyping(true)
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1)
    expect(state.peerTyping).toBe(true)
    vi.advanceTimersByTime(1)
    expect(state.peerTyping).toBe(false)
    conversation.send('bye')
    conversation.showTyping(true)
    conversation.dispose()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('merges history and live messages by seq, once each, and keeps the messages plain objects', () => {
    const { conversation, state } = onWire()
    expect(conversation.receive(msg(2))).toBe(true)
    conversation.history([msg(1), msg(2), msg(3)], false)
    expect(state.messages.map((m) => m.seq)).toEqual([1, 2, 3])
    expect(conversation.receive(msg(3))).toBe(false)
    expect(isReactive(state.messages)).toBe(false)
    expect(isReactive(state.messages[0])).toBe(false)
    conversation.history([msg(7)], true)
    expect(state.messages.map((m) => m.seq)).toEqual([7])
    expect(mergeBySeq([msg(1), msg(5)], [msg(3), msg(5)]).map((m) => m.seq)).toEqual([1, 3, 5])
  })
})
