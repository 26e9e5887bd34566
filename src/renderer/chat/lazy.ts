import { defineAsyncComponent } from 'vue'

/** The chat panel, loaded the first time it opens (the Markdown renderer, KaTeX and DOMPurify stay out of the room's bundle until then). */
export const ChatPanelLazy = defineAsyncComponent(() => import('./components/ChatPanel.vue'))
