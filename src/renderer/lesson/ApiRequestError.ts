import type { ErrorCode } from '../../shared/errors'

/** Why a call to the session server failed, in a form the UI can translate. */
export class ApiRequestError extends Error {
  constructor(
    /** A server error code, 'network' when the server was unreachable, 'unexpected' for a bad reply. */
    readonly code: ErrorCode | 'network' | 'unexpected',
    message: string,
    readonly server: string,
  ) {
    super(message)
    this.name = 'ApiRequestError'
  }
}
