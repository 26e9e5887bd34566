/**
 * Limits of the chat, shared by the session server (which enforces them
 * against any client) and the renderer (which checks first, so an honest user
 * gets a clear message instead of a refusal).
 */

/** Characters in one message (a long explanation fits; a pasted book does not). */
export const MAX_CHAT_TEXT_CHARS = 4000
/** Characters of a quoted passage (an AI answer turned into a question). */
export const MAX_CHAT_QUOTE_CHARS = 4000
/** Characters of an attachment's file name as shown. */
export const MAX_CHAT_FILE_NAME_CHARS = 120
/** Messages one person may send per minute (token bucket: a burst of this many, then one every 60/N s). */
export const CHAT_MESSAGES_PER_MINUTE = 20
/** Messages kept in one conversation; past this the server refuses new ones. */
export const MAX_CHAT_MESSAGES = 5000
/** Largest file one message may carry. */
export const MAX_CHAT_FILE_BYTES = 20 * 1024 * 1024
/** All files of one conversation together. */
export const MAX_CHAT_CONVERSATION_FILE_BYTES = 200 * 1024 * 1024
/** File uploads per person per minute. */
export const CHAT_UPLOADS_PER_MINUTE = 12
/** "Typing…" is shown this long after the last typing signal unless a new one (or the message) comes. */
export const TYPING_SHOWN_MS = 6000
/** A typing person's client repeats the signal at most this often. */
export const TYPING_REPEAT_MS = 3000
