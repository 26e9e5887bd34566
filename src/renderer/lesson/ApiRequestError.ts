import type { ErrorCode } from '../../shared/errors'

/** Why a call to the session server failed, in a form the UI can translate. */
export class ApiRequestError extends Error {
  constructor(
    /** A server error code, 'network' when the server was unreachable, 'unexpected' for a bad reply. */
    readonly code: ErrorCode | 'network' | 'unexpected',
    message: string,
    readonly server: string,
    /** How long the server asked us to wait (a rate limit), from its error or its Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'ApiRequestError'
  }
}
