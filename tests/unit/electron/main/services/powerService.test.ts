import { describe, expect, it, vi } from 'vitest'
import { PowerService, type PowerSaveBlockerLike } from '../../../../../electron/main/services/PowerService'

function fakeBlocker() {
  const started = new Set<number>()
  let next = 1
  const blocker = {
    start: vi.fn((_type: 'prevent-app-suspension' | 'prevent-display-sleep') => {
      const id = next++
      started.add(id)
      return id
    }),
    stop: vi.fn((id: number) => started.delete(id)),
    isStarted: (id: number) => started.has(id),
  } satisfies PowerSaveBlockerLike
  return { blocker, started }
}

describe('PowerService', () => {
  it('holds one display-sleep blocker while a lesson is active', () => {
    const { blocker, started } = fakeBlocker()
    const power = new PowerService(blocker)
    power.setLessonActive(true)
    power.setLessonActive(true)
    expect(blocker.start).toHaveBeenCalledTimes(1)
    expect(blocker.start).toHaveBeenCalledWith('prevent-display-sleep')
    expect(power.active).toBe(true)
    power.setLessonActive(false)
    expect(started.size).toBe(0)
    expect(power.active).toBe(false)
    power.setLessonActive(false)
    expect(blocker.stop).toHaveBeenCalledTimes(1)
  })

  it('releases the blocker on dispose (quit)', () => {
    const { blocker, started } = fakeBlocker()
    const power = new PowerService(blocker)
    power.setLessonActive(true)
    power.dispose()
    expect(started.size).toBe(0)
    power.dispose()
    expect(blocker.stop).toHaveBeenCalledTimes(1)
  })
})
