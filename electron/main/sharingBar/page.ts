import type { Locale } from '../../../src/shared/settings'
import { APP_ORIGIN } from '../appOrigin'

/**
 * The sharing bar's page, generated in main and served by the app:// handler
 * (same CSP as the app). It has no script at all: the bar's preload finds the
 * Stop button in the DOM and tells main. Text comes from the app locale.
 */
export const SHARING_BAR_PATH = '/_duet/sharing-bar.html'

/** Window background, same as the page's, so no white flash before it paints. */
export const SHARING_BAR_BACKGROUND = '#1f2430'

const TEXT: Record<Locale, { sharing: string; stop: string }> = {
  en: { sharing: 'You are sharing your screen', stop: 'Stop sharing' },
  'zh-CN': { sharing: '你正在共享屏幕', stop: '停止共享' },
}

/** The user's language choice, else the OS language; anything not Chinese is English. */
export function barLocale(settingsLocale: Locale | null, osLocale: string): Locale {
  if (settingsLocale) return settingsLocale
  return osLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

export function sharingBarUrl(locale: Locale): string {
  return `${APP_ORIGIN}${SHARING_BAR_PATH}?lang=${encodeURIComponent(locale)}`
}

/** The page for an app:// URL, or null when the URL is not the bar (the file handler takes over). */
export function renderSharingBarPage(url: URL): string | null {
  if (url.pathname !== SHARING_BAR_PATH) return null
  const lang: Locale = url.searchParams.get('lang') === 'zh-CN' ? 'zh-CN' : 'en'
  const text = TEXT[lang]
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${text.sharing}</title>
<style>
  html, body { margin: 0; height: 100%; overflow: hidden; user-select: none; }
  body {
    display: flex; align-items: center; gap: 10px; padding: 0 8px 0 14px; box-sizing: border-box;
    font: 13px/1.2 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
    color: #fff; background: #1f2430; -webkit-app-region: drag;
  }
  .dot { width: 10px; height: 10px; border-radius: 50%; background: #e5484d; flex: none; }
  .label { flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  button {
    -webkit-app-region: no-drag; flex: none; border: 0; border-radius: 6px; padding: 7px 12px;
    font: inherit; font-weight: 600; color: #fff; background: #e5484d; cursor: pointer;
  }
  button:hover { background: #d13438; }
  button:focus-visible { outline: 2px solid #fff; outline-offset: 2px; }
  button:disabled { opacity: 0.6; cursor: default; }
</style>
</head>
<body>
<span class="dot" aria-hidden="true"></span>
<span class="label" role="status">${text.sharing}</span>
<button id="stop" type="button">${text.stop}</button>
</body>
</html>
`
}
