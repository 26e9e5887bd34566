/**
 * Build settings the renderer shares between the web client (vite.web.config.ts)
 * and the desktop app (electron.vite.config.ts).
 */

/**
 * Fonts are always files, never inlined as data: URLs (Vite inlines assets
 * under 4 KB by default, which caught KaTeX's smallest font): both
 * Content-Security-Policies allow fonts from 'self' only, and a blocked
 * math font silently falls back to a system font.
 */
export function rendererAssetsInlineLimit(file: string): boolean | undefined {
  return /\.(woff2?|ttf|otf)$/i.test(file) ? false : undefined
}
