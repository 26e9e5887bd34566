/**
 * The desktop app's pages are served from this origin (a privileged custom
 * scheme, see electron/main/appOrigin.ts); session servers allow it to call
 * them cross-origin, and no other web page besides their own.
 */
export const DESKTOP_APP_ORIGIN = 'app://duet'
