import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileSavedRooms } from '../../../../src/server/recording/savedRooms'
import type { RecordingState } from '../../../../src/shared/recording/state'
import { memoryLogger } from '../helpers'
import { tempDirs } from '../../shared/recording/helpers'

const tempDir = tempDirs()
const LESSON = '6f1c2b7e-3c1a-4d2e-9f00-1234567890ab'
const ON: RecordingState = { on: true, startedAt: 5, by: 'tutor', policy: 'allowed', serverStorage: true }

describe('recording states on disk', () => {
  it('reads back what it wrote, and moves a damaged or foreign file aside with a warning', () => {
    const file = join(tempDir(), 'rooms.json')
    const logger = memoryLogger()
    const saved = fileSavedRooms(file, logger)
    expect(saved.load()).toEqual(new Map())
    saved.save(new Map([[LESSON, ON]]))
    expect(saved.load()).toEqual(new Map([[LESSON, ON]]))
    for (const junk of ['{"on":', JSON.stringify({ '../../etc': ON }), JSON.stringify({ [LESSON]: { ...ON, on: 'yes' } })]) {
      writeFileSync(file, junk)
      expect(saved.load()).toEqual(new Map())
    }
    expect(logger.lines.filter((l) => l.msg === 'Unreadable data file moved aside')).toHaveLength(3)
  })
})
