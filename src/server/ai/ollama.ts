import { z } from 'zod'

const TagsSchema = z.object({
  models: z.array(z.object({ name: z.string().min(1).max(200) })).max(500),
})
const ShowSchema = z.object({ capabilities: z.array(z.string()).optional() })

const PROBE_TIMEOUT_MS = 800
const CACHE_MS = 15_000
/** Models that cannot chat (embeddings) are not offered. */
const NOT_CHAT = /embed|bge-|minilm|rerank/i

/**
 * Finds a local Ollama (its native /api/tags) so a tutor without a configured
 * model can use it in one click. Answers are cached briefly: the status route
 * asks on every panel open.
 */
export class OllamaDetector {
  private cached: { at: number; models: string[] | null } | null = null

  constructor(
    private readonly baseUrl: string | null,
    private readonly now: () => number,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** OpenAI-compatible endpoint of the detected Ollama. */
  get chatBaseUrl(): string | null {
    return this.baseUrl === null ? null : `${this.baseUrl}/v1`
  }

  /** Chat models of the local Ollama, or null when there is none (or detection is off). */
  async models(): Promise<string[] | null> {
    if (this.baseUrl === null) return null
    if (this.cached && this.now() - this.cached.at < CACHE_MS) return this.cached.models
    let models: string[] | null = null
    try {
      const res = await this.fetchImpl(`${this.baseUrl}/api/tags`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
      const parsed = res.ok ? TagsSchema.safeParse(await res.json()) : null
      if (parsed?.success) models = parsed.data.models.map((m) => m.name).filter((name) => !NOT_CHAT.test(name)).slice(0, 50)
    } catch {
      models = null // not running, or not Ollama
    }
    this.cached = { at: this.now(), models: models && models.length > 0 ? models : null }
    return this.cached.models
  }

  /** Whether a model takes images (newer Ollama lists capabilities; older ones: by name). */
  async hasVision(model: string): Promise<boolean> {
    if (this.baseUrl === null) return false
    try {
      const res = await this.fetchImpl(`${this.baseUrl}/api/show`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model }),
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      })
      const parsed = res.ok ? ShowSchema.safeParse(await res.json()) : null
      if (parsed?.success && parsed.data.capabilities) return parsed.data.capabilities.includes('vision')
    } catch {
      // fall through to the name
    }
    return /llava|vision|-vl|minicpm-v|moondream|gemma3/i.test(model)
  }

  forget(): void {
    this.cached = null
  }
}
