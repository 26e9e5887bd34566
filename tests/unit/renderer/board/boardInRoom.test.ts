// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, nextTick } from 'vue'
import type { BoardSession } from '../../../../src/renderer/board/BoardSession'
import { useBoardInRoom } from '../../../../src/renderer/board/composables/useBoardInRoom'
import { useBoardStore } from '../../../../src/renderer/board/stores/boardStore'

/** What the room reads of a connected board: who is on it (presence) and this person's role. */
function fakeSession(isTutor: boolean) {
  const peers: { user: { role: 'tutor' | 'student' }; view: object | null }[] = []
  const session = { isTutor, pass: { lessonId: 'l1', token: 't' }, presence: { peers: () => peers }, destroy: () => {} }
  return { session: session as unknown as BoardSession, peers }
}

/** A room with its board hook, on a board this test drives by hand. */
function roomWith(isTutor: boolean) {
  const board = useBoardStore()
  const { session, peers } = fakeSession(isTutor)
  board.session = session
  mount(defineComponent({ setup: () => (useBoardInRoom(() => null), () => null) }))
  const tutorView = async (view: object | null) => {
    peers.splice(0, peers.length, { user: { role: 'tutor' }, view })
    board.peersVersion++
    await nextTick()
  }
  return { board, tutorView }
}

describe('the room brings a student to the board the tutor opens', () => {
  beforeEach(() => {
    sessionStorage.clear()
    setActivePinia(createPinia())
  })

  it('shows the board when the tutor opens theirs, and again each time they reopen it', async () => {
    const { board, tutorView } = roomWith(false)
    await tutorView(null)
    expect(board.shown).toBe(false)
    await tutorView({ page: 'p1', x: 0, y: 0, w: 100, h: 100 })
    expect(board.shown).toBe(true)
    // The student hides it: the tutor moving about on the board does not pull them back.
    board.toggleShown()
    await tutorView({ page: 'p1', x: 10, y: 0, w: 100, h: 100 })
    expect(board.shown).toBe(false)
    expect(board.tutorOnBoard).toBe(true)
    // The tutor closes the board and opens it again: the student is brought back.
    await tutorView(null)
    expect(board.tutorOnBoard).toBe(false)
    await tutorView({ page: 'p1', x: 0, y: 0, w: 100, h: 100 })
    expect(board.shown).toBe(true)
  })

  it('keeps a following student on the board when the tutor turns following on', async () => {
    const { board, tutorView } = roomWith(false)
    await tutorView({ page: 'p1', x: 0, y: 0, w: 100, h: 100 })
    board.toggleShown()
    await nextTick()
    expect(board.shown).toBe(false)
    // Hiding paused nothing (not following); the tutor's "follow me" brings the student back.
    board.follow = true
    await nextTick()
    expect(board.shown).toBe(true)
  })

  it('leaves the tutor\'s own board to the tutor', async () => {
    const { board, tutorView } = roomWith(true)
    await tutorView({ page: 'p1', x: 0, y: 0, w: 100, h: 100 })
    expect(board.shown).toBe(false)
  })
})
