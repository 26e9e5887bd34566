import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import type { AiConversation } from '../../../../src/shared/ai/conversation'
import { addPages, ensureFirstPage } from '../../../../src/shared/board/pageOps'
import { addShape, eraseStrokes } from '../../../../src/shared/board/strokeOps'
import { boardWorthKeeping } from '../../../../src/shared/recording/boardRecord'
import { LessonAiResponseSchema, aiQuestionMarkers, lessonAiMarkdown, type LessonAiLabels } from '../../../../src/shared/recording/lessonAi'
import type { LessonMarker } from '../../../../src/shared/recording/library'
import { LessonRecordStore } from '../../../../src/shared/recording/lessonRecordStore'
import { nodeRecordingFs } from '../../../../src/node/recordingFs'
import { LessonFiles } from '../../../../src/renderer/recording/lessonFiles'
import type { LessonRecordSink } from '../../../../src/renderer/recording/sink'
import { tempDirs } from './helpers'

const tempDir = tempDirs()
const LESSON = '0b4d6c2e-1d2f-4c61-9b8a-3f4e5d6c7b8a'

function conversation(role: 'tutor' | 'student', name: string, messages: Partial<AiConversation['messages'][number]>[]): AiConversation {
  return {
    id: `${role}-conv`,
    createdAt: 1_700_000_000_000,
    owner: { id: role, role, name },
    revealRequests: 0,
    messages: messages.map((m, i) => ({ id: `${role}-${i}`, role: 'user', text: '', at: 0, status: 'complete', ...m })),
  }
}

const labels: LessonAiLabels = {
  title: (name, role) => `AI help · ${name} (${role})`,
  when: (at) => `on ${at}`,
  action: (action) => (action === 'simpler' ? 'Explain that more simply' : null),
  assistant: 'AI',
  attempt: 'My attempt',
  image: 'picture attached',
  stopped: 'stopped early',
  error: 'failed',
}

describe('the AI conversation in the lesson record', () => {
  const student = conversation('student', 'Wei', [
    { text: 'What is  2x = 6?\nx?', at: 2000 },
    { role: 'assistant', text: 'Divide both sides by **2**.', at: 2100 },
    { text: 'ignored', action: 'simpler', at: 3000 },
    { role: 'assistant', text: 'Halve it.', at: 3100, status: 'stopped' },
  ])
  const tutor = conversation('tutor', 'Ms Li', [{ text: 'A practice question on fractions', action: 'ask', at: 1000 }])

  it('marks every new question by either person, in time order, not follow-ups or answers', () => {
    expect(aiQuestionMarkers([student, tutor])).toEqual([
      { at: 1000, kind: 'ai-question', label: 'Ms Li: A practice question on fractions' },
      { at: 2000, kind: 'ai-question', label: 'Wei: What is 2x = 6? x?' },
    ])
    const long = conversation('student', 'Wei', [{ text: 'x'.repeat(500), at: 5 }])
    expect(aiQuestionMarkers([long])[0]?.label).toHaveLength(200)
    expect(aiQuestionMarkers([conversation('student', 'Wei', [{ text: 'no time', at: 0 }])])).toEqual([])
  })

  it('writes one Markdown section per person, follow-ups by their button words; nothing when nobody asked', () => {
    const md = lessonAiMarkdown([student, conversation('tutor', 'Ms Li', [])], labels)
    expect(md).toContain('# AI help · Wei (student)')
    expect(md).toContain('## Wei\n\n> What is  2x = 6?\n> x?')
    expect(md).toContain('### AI\n\nDivide both sides by **2**.')
    expect(md).toContain('> Explain that more simply')
    expect(md).toContain('_(stopped early)_')
    expect(md).not.toContain('Ms Li')
    expect(lessonAiMarkdown([], labels)).toBeNull()
    expect(lessonAiMarkdown([conversation('tutor', 'Ms Li', [])], labels)).toBeNull()
  })

  it('refuses a server answer that is not a list of conversations', () => {
    expect(LessonAiResponseSchema.safeParse({ conversations: [student] }).success).toBe(true)
    expect(LessonAiResponseSchema.safeParse({}).success).toBe(false)
    expect(LessonAiResponseSchema.safeParse({ conversations: [{ ...student, messages: [{ id: 'x', role: 'system', text: 'hi', at: 1, status: 'complete' }] }] }).success).toBe(false)
    expect(LessonAiResponseSchema.safeParse({ conversations: Array.from({ length: 41 }, () => student) }).success).toBe(false)
  })
})

describe('markers in events.jsonl', () => {
  it('counts a marker written twice once, and skips torn and invalid lines', async () => {
    const store = new LessonRecordStore({ fs: nodeRecordingFs, root: tempDir(), now: () => 1 })
    const question: LessonMarker = { at: 2000, kind: 'ai-question', label: 'Wei: 2x = 6?' }
    await store.addMarker(LESSON, question)
    await store.addMarker(LESSON, { at: 1500, kind: 'page', label: '2' })
    await store.addMarker(LESSON, question)
    await nodeRecordingFs.appendFile(nodeRecordingFs.join(store.folder(LESSON), 'events.jsonl'), '{"at":-1,"kind":"page","label":"x"}\n{"at":3000,"kind":"Bad Kind","label":""}\n{"at":40')
    expect(await store.markers(LESSON)).toEqual([{ at: 1500, kind: 'page', label: '2' }, question])
    await expect(store.addMarker(LESSON, { at: 1, kind: 'page', label: 'x'.repeat(201) })).rejects.toThrow()
  })
})

describe('the board in the lesson record', () => {
  it('is kept when someone drew on it or put material on it, not when untouched or wiped', () => {
    const doc = new Y.Doc()
    ensureFirstPage(doc, null)
    expect(boardWorthKeeping(doc)).toBe(false)
    const [page] = addPages(doc, null, [{ bg: { kind: 'grid' } }])
    expect(boardWorthKeeping(doc)).toBe(false)
    const stroke = addShape(doc, null, page!, { t: 'rect', c: '#e03131', w: 6, by: 'me', z: 1 }, [10, 10, 200, 200])
    expect(boardWorthKeeping(doc)).toBe(true)
    eraseStrokes(doc, null, page!, [stroke!])
    expect(boardWorthKeeping(doc)).toBe(false)
    addPages(doc, null, [{ bg: { kind: 'image', asset: 'a'.repeat(64) } }])
    expect(boardWorthKeeping(doc)).toBe(true)
  })
})

describe('saving the lesson files', () => {
  function sink() {
    const files: [string, string][] = []
    const markers: LessonMarker[] = []
    const record: LessonRecordSink = {
      addFile: async (name, data) => void files.push([name, new TextDecoder().decode(data)]),
      addMarker: async (marker) => void markers.push(marker),
    }
    return { files, markers, record }
  }

  it('saves each file with its markers, again only when it changed, and one failure does not stop the others', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const files = new LessonFiles()
    let board = 'v1'
    files.provide('board.pdf', () => ({ version: board, make: async () => ({ data: new TextEncoder().encode(`pdf ${board}`) }) }))
    files.provide('ai.md', async () => ({ version: 'a', make: async () => ({ data: new TextEncoder().encode('# AI'), markers: [{ at: 5, kind: 'ai-question', label: 'q' }] }) }))
    const out = sink()
    expect(await files.save(files.start(), out.record)).toEqual(['board.pdf', 'ai.md'])
    expect(out.files).toEqual([['board.pdf', 'pdf v1'], ['ai.md', '# AI']])
    expect(out.markers).toEqual([{ at: 5, kind: 'ai-question', label: 'q' }])

    expect(await files.save(files.start(), out.record)).toEqual([])
    board = 'v2'
    expect(await files.save(files.start(), out.record)).toEqual(['board.pdf'])
    expect(out.files.at(-1)).toEqual(['board.pdf', 'pdf v2'])

    // A source that throws, or a file the record refuses: the rest are saved, the failed one is tried next time.
    files.provide('board.pdf', () => {
      throw new Error('no board')
    })
    files.provide('chat.md', () => ({ version: 'c', make: async () => ({ data: new Uint8Array([1]) }) }))
    const refusing = sink()
    refusing.record.addFile = async (name) => {
      if (name === 'ai.md') throw new Error('disk full')
    }
    files.reset()
    expect(await files.save(files.start(), refusing.record)).toEqual(['chat.md'])
    expect(await files.save(files.start(), out.record)).toEqual(['ai.md'])
  })

  it('asks every source at once, so a snapshot is taken before the room closes', () => {
    const files = new LessonFiles()
    const asked = vi.fn(() => null)
    files.provide('board.pdf', asked)
    files.start()
    expect(asked).toHaveBeenCalledTimes(1)
    files.provide('board.pdf', null)
    expect(files.start()).toEqual([])
  })
})
