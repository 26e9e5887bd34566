import { EraserTool } from './EraserTool'
import { FreehandTool } from './FreehandTool'
import { LaserTool } from './LaserTool'
import { SelectTool } from './SelectTool'
import { ShapeTool } from './ShapeTool'
import { TextTool } from './TextTool'
import type { Tool, ToolHost, ToolId } from './types'

export interface ToolSet {
  get(id: ToolId): Tool
  readonly select: SelectTool
  readonly laser: LaserTool
}

/** One instance of each tool for a board view (the selection and laser trail live in theirs). */
export function createTools(host: ToolHost): ToolSet {
  const select = new SelectTool(host)
  const laser = new LaserTool(host)
  const tools: Record<ToolId, Tool> = {
    pen: new FreehandTool(host, 'pen'),
    hl: new FreehandTool(host, 'hl'),
    line: new ShapeTool(host, 'line'),
    arrow: new ShapeTool(host, 'arrow'),
    rect: new ShapeTool(host, 'rect'),
    ellipse: new ShapeTool(host, 'ellipse'),
    text: new TextTool(host),
    eraser: new EraserTool(host),
    laser,
    select,
  }
  return { get: (id) => tools[id], select, laser }
}
