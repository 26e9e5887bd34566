import { Circle, Eraser, Highlighter, MousePointer2, MoveUpRight, Pen, Slash, Square, Type, WandSparkles } from 'lucide-vue-next'
import type { Component } from 'vue'
import type { ToolId } from '../tools/types'

/** Each tool's icon (Lucide), close to what Excalidraw and tldraw show for it. */
export const TOOL_ICONS: Readonly<Record<ToolId, Component>> = {
  pen: Pen,
  hl: Highlighter,
  line: Slash,
  arrow: MoveUpRight,
  rect: Square,
  ellipse: Circle,
  text: Type,
  eraser: Eraser,
  laser: WandSparkles,
  select: MousePointer2,
}
