import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { pageIds, readPage } from '../../../../src/shared/board/layout'
import { ensureFirstPage } from '../../../../src/shared/board/pageOps'
import { quantize } from '../../../../src/shared/board/points'
import { appendPoints, beginFreehand } from '../../../../src/shared/board/strokeOps'
import { PageScene, type ChangeSource } from '../../../../src/renderer/board/scene/PageScene'

describe('PageScene', () => {
  it("tells our own edits from the other person's, so their ink can be painted the moment it arrives", () => {
    const mine = new Y.Doc()
    ensureFirstPage(mine, 'me')
    const theirs = new Y.Doc()
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine))
    mine.on('update', (u: Uint8Array, origin: unknown) => origin !== 'wire' && Y.applyUpdate(theirs, u, 'wire'))
    theirs.on('update', (u: Uint8Array, origin: unknown) => origin !== 'wire' && Y.applyUpdate(mine, u, 'wire'))
    const pageId = pageIds(mine)[0] as string
    const scene = new PageScene(readPage(mine, pageId)!)
    const seen: { source: ChangeSource; strokes: number }[] = []
    scene.onChange((changes, source) => seen.push({ source, strokes: changes.length }))

    const own = beginFreehand(mine, 'me', pageId, { t: 'pen', c: '#1e1e1e', w: 4, by: 'me', z: 1 }, quantize(1, 1, 0.5)) as string
    appendPoints(mine, 'me', pageId, own, quantize(5, 5, 0.5))
    beginFreehand(theirs, 'them', pageId, { t: 'pen', c: '#1e1e1e', w: 4, by: 'them', z: 2 }, quantize(9, 9, 0.5))

    expect(seen).toEqual([
      { source: 'local', strokes: 1 },
      { source: 'local', strokes: 1 },
      { source: 'remote', strokes: 1 },
    ])
    expect(scene.strokes.size).toBe(2)
    scene.destroy()
  })
})
