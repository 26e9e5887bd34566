/** Sizes and limits of the AI panel, shared by the server (enforcing) and the renderer (preventing). */

/** Every AI route lives under this prefix. */
export const AI_PATH_PREFIX = '/api/ai/'

export const MAX_QUESTION_CHARS = 4000
/** The student's own working, put in the context so hints start from it. */
export const MAX_ATTEMPT_CHARS = 4000
/** Decoded image bytes; the renderer scales pictures down well below this. */
export const MAX_IMAGE_BYTES = 3 * 1024 * 1024
/** The same limit as a base64 data URL (4 chars per 3 bytes plus the header). */
export const MAX_IMAGE_DATA_URL_CHARS = Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 64
/** Largest POST body the AI routes read (a question with one image). */
export const MAX_AI_BODY_BYTES = MAX_IMAGE_DATA_URL_CHARS + 16 * 1024
/** One stored message; longer answers are cut server-side whatever the token setting. */
export const MAX_MESSAGE_CHARS = 60_000
/** Messages kept per conversation; the oldest go first. */
export const MAX_MESSAGES_PER_CONVERSATION = 400
/** Conversations kept per lesson (one per "new chat"). */
export const MAX_CONVERSATIONS_PER_LESSON = 40
/** The offline solver refuses longer input: mathsteps is exponential on some shapes. */
export const MAX_SOLVER_INPUT_CHARS = 80
