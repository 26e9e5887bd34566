import { topStrokeAt } from './pick'
import type { BoardPoint, Tool, ToolHost } from './types'

/** Click to write; click an existing text box to edit it. The editor itself is a component (TextEditor.vue). */
export class TextTool implements Tool {
  readonly cursor = 'text'

  constructor(private readonly host: ToolHost) {}

  down(p: BoardPoint): void {
    const hit = topStrokeAt(this.host.scene, p.x, p.y, 4 / this.host.viewport.zoom)
    this.host.editText({ x: p.x, y: p.y }, hit?.data.kind === 'text' ? hit.data : null)
  }

  move(): void {}
  up(): void {}
  cancel(): void {}
}
