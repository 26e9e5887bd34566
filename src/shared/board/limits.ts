/**
 * Limits of the lesson board, shared by the session server (which enforces
 * them against any client) and the renderer (which checks first, so an honest
 * user gets a clear message instead of a refused update).
 */

/** WebSocket path of the board (Hocuspocus) on the session server. */
export const BOARD_PATH = '/board'

/** Pages a user may have on one board. */
export const MAX_PAGES = 200
/**
 * The server refuses updates past this many pages. It is a little above
 * MAX_PAGES because two people adding pages at the same moment (or one
 * offline) can both pass the client check.
 */
export const SERVER_MAX_PAGES = MAX_PAGES + 20

/**
 * Largest single board update (one Yjs sync message) the server applies.
 * Measured (tests/bench/boardFixtures.ts, `addNotesPage`): a page of 20,000
 * handwritten strokes, the densest page the board is benchmarked with, is
 * 4.0 MB as one update (what a client sends as its sync step 2 for that page
 * when the server has lost it); undoing "clear page" on it sends 3.7 MB; its
 * full state after that clear and undo is 7.7 MB. 1,000 strokes are 0.2 MB.
 */
export const MAX_UPDATE_BYTES = 8 * 1024 * 1024
/**
 * Largest WebSocket frame the board socket reads (ws closes with 1009 past
 * it): one update of MAX_UPDATE_BYTES and its envelope (document name,
 * message type, length: under 100 bytes), with a little room so an update
 * just over the limit is refused politely ("too_large") rather than cut.
 * Every connection may hold one frame this large while it arrives, so it
 * stays close to what a real update needs.
 */
export const MAX_FRAME_BYTES = MAX_UPDATE_BYTES + 64 * 1024
/** Largest awareness message (cursor, laser trail, view). */
export const MAX_AWARENESS_BYTES = 32 * 1024
/** A board document that grows past this refuses further updates. */
export const MAX_DOC_BYTES = 96 * 1024 * 1024

/** Points kept for one freehand stroke; a longer stroke is cut (and should be split). */
export const MAX_STROKE_POINTS = 6000
/** Characters in one text box. */
export const MAX_TEXT_LENGTH = 2000

/** One uploaded course-material file (PDF or image). */
export const MAX_ASSET_BYTES = 32 * 1024 * 1024
/** All course material of one lesson. */
export const MAX_LESSON_ASSET_BYTES = 256 * 1024 * 1024
/** Images larger than this (either side, in pixels) are refused: decoding them could exhaust memory. */
export const MAX_IMAGE_SIDE = 12_000

/** Board page sizes in board units (1 unit = 1 CSS pixel at 100 % zoom). */
export const PAGE_WIDTH = 1600
export const DEFAULT_PAGE_HEIGHT = 1000
/** Course-material pages keep their aspect ratio within these heights. */
export const MIN_PAGE_HEIGHT = 200
export const MAX_PAGE_HEIGHT = 6400
