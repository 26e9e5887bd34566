/** Content-Security-Policy for every page the app serves (app:// and the dev server). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // KaTeX's math fonts (and any other) come from the app's own files.
  "font-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: data:",
  // The session server may be local, on the LAN or a school's: any http(s)/ws(s) host.
  "connect-src 'self' http: https: ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ')

type HeaderMap = Record<string, string[] | string>

/** Response headers with our CSP replacing whatever the server sent (dev server responses). */
export function withCsp(headers: HeaderMap | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue
    out[name] = Array.isArray(value) ? value : [value]
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
  return out
}
