import { defineAsyncComponent } from 'vue'

/** The AI panel, loaded the first time it opens (Markdown, KaTeX and DOMPurify stay out of the room's bundle until then). */
export const AiPanelLazy = defineAsyncComponent(() => import('./components/AiPanel.vue'))
