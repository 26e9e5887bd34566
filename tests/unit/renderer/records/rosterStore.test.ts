// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'

/** The roster API with answers the test releases by hand, in any order. */
const answers = vi.hoisted(() => ({ roster: new Map<string, (value: unknown) => void>() }))
vi.mock('../../../../src/renderer/records/recordsApi', () => ({
  RosterApi: class {
    roster(query: string) {
      return new Promise((resolve) => answers.roster.set(query, resolve))
    }
    atRisk() {
      return Promise.resolve({ computedAt: 0, students: [] })
    }
    digest() {
      return Promise.resolve({ since: 0, students: [] })
    }
  },
}))
vi.mock('../../../../src/renderer/chat/stores/threadsStore', () => ({ useThreadsStore: () => ({ connect: () => {} }) }))

import { provideHost } from '../../../../src/renderer/host/current'
import { useRosterStore } from '../../../../src/renderer/records/stores/rosterStore'
import { fakeHost } from '../fakeHost'

const listOf = (name: string) => ({ students: [{ id: name, name }] })

describe('the roster store', () => {
  it('shows the newest load when two overlap, whichever answers last (a search typed while the roster refreshed itself)', async () => {
    provideHost(fakeHost({ server: { url: 'http://127.0.0.1:1', lanUrls: [], hosted: true, tutorKey: 'k'.repeat(32) } }).host)
    setActivePinia(createPinia())
    const store = useRosterStore()
    const refresh = store.load('')
    const search = store.load('wei')
    await vi.waitFor(() => expect(answers.roster.size).toBe(2))
    answers.roster.get('wei')!(listOf('Wei'))
    await search
    expect(store.roster).toEqual(listOf('Wei'))
    answers.roster.get('')!(listOf('Everyone'))
    await refresh
    expect(store.roster).toEqual(listOf('Wei'))
  })
})
