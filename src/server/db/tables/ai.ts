import type { AiConversation, AiMode } from '../../../shared/ai/conversation'
import type { Json } from '../json'

/**
 * The AI settings and daily count of one lesson or one practice pass
 * (`scope` + `scope_id`): what dataDir/ai/<id>.json and ai-practice/<id>.json held.
 */
export interface AiScopesTable {
  scope: 'lesson' | 'practice'
  scope_id: string
  student_mode: AiMode | null
  ollama: Json<{ model: string; vision: boolean } | null>
  usage_day: string
  usage_count: number
  updated_at: number
}

/** One conversation of a scope; `position` keeps their order. */
export interface AiConversationsTable {
  id: string
  scope: 'lesson' | 'practice'
  scope_id: string
  position: number
  created_at: number
  owner: Json<AiConversation['owner']>
  reveal_requests: number
  messages: Json<AiConversation['messages']>
}
