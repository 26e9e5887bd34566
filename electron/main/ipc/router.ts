import type { z } from 'zod'
import { INVOKE_CHANNELS, isInvokeChannel, type InvokeHandlers } from '../../../src/shared/ipc'
import type { AppUrlCheck } from '../appOrigin'
import type { Logger } from '../../../src/shared/logger'
import { describeZodError } from '../../../src/shared/zodError'

/** The slice of IpcMainInvokeEvent the router reads. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null
}

/** The slice of Electron's ipcMain the router uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface IpcRouterDeps {
  ipcMain: IpcMainLike
  isAppUrl: AppUrlCheck
  logger: Logger
}

/** Rejections the renderer sees; the message is all that crosses IPC. */
export class IpcRefusedError extends Error {
  override name = 'IpcRefusedError'
}

/**
 * Registers one handler per channel of INVOKE_CHANNELS. Every call: sender must
 * be the app's own frame, request must match its schema (else the handler is
 * not called), response is validated before it goes back.
 */
export class IpcRouter {
  private handlers: InvokeHandlers | null = null

  constructor(private readonly deps: IpcRouterDeps) {}

  register(handlers: InvokeHandlers): void {
    if (this.handlers) throw new Error('IPC handlers are already registered')
    const missing = Object.keys(INVOKE_CHANNELS).filter((c) => typeof (handlers as Record<string, unknown>)[c] !== 'function')
    const extra = Object.keys(handlers).filter((c) => !isInvokeChannel(c))
    if (missing.length > 0 || extra.length > 0) {
      throw new Error(`IPC handler map mismatch: missing [${missing.join(', ')}], unknown [${extra.join(', ')}]`)
    }
    this.handlers = handlers
    for (const channel of Object.keys(INVOKE_CHANNELS)) {
      this.deps.ipcMain.handle(channel, (event, ...args) => this.dispatch(channel, event, args))
    }
  }

  dispose(): void {
    if (!this.handlers) return
    for (const channel of Object.keys(INVOKE_CHANNELS)) this.deps.ipcMain.removeHandler(channel)
    this.handlers = null
  }

  async dispatch(channel: string, event: InvokeEventLike, args: unknown[]): Promise<unknown> {
    const { logger, isAppUrl } = this.deps
    if (!this.handlers || !isInvokeChannel(channel)) {
      logger.warn('IPC: refused unknown channel', channel)
      throw new IpcRefusedError(`Unknown IPC channel: ${channel}`)
    }
    const senderUrl = event.senderFrame?.url
    if (!isAppUrl(senderUrl)) {
      logger.warn('IPC: refused', channel, 'from foreign sender', senderUrl ?? '(no frame)')
      throw new IpcRefusedError(`${channel}: refused, sender is not the app`)
    }
    const spec = INVOKE_CHANNELS[channel]
    const request = args.length <= 1 ? (spec.request as z.ZodType).safeParse(args[0]) : null
    if (!request?.success) {
      const why = request ? describeZodError(request.error) : 'too many arguments'
      logger.warn('IPC: invalid request on', channel, why)
      throw new IpcRefusedError(`${channel}: invalid request (${why})`)
    }
    const handler = this.handlers[channel] as (req: unknown) => unknown
    const result = await handler(request.data)
    const response = (spec.response as z.ZodType).safeParse(result)
    if (!response.success) {
      logger.error('IPC: handler for', channel, 'returned an invalid response:', describeZodError(response.error))
      throw new Error(`${channel}: internal error`)
    }
    return response.data
  }
}
