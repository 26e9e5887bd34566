import type { AiConversation } from '../../shared/ai/conversation'
import { FileAiStore } from '../ai/store'
import type { Logger } from '../logger'

/**
 * Reads a lesson's AI conversations for its record from the AI service's own
 * store (dataDir/ai/<lessonId>.json, written at every change, so it is as
 * current as the service's memory). Read-only: nothing here writes AI data.
 */
export function aiConversationReader(dataDir: string, logger: Logger): (lessonId: string) => readonly AiConversation[] {
  let store: FileAiStore | null = null
  return (lessonId) => {
    try {
      store ??= new FileAiStore(dataDir, logger)
      return store.load(lessonId)?.conversations ?? []
    } catch (error) {
      logger.error('Could not read the lesson’s AI conversations', { lessonId, error: String(error) })
      return []
    }
  }
}
