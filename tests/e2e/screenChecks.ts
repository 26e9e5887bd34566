import AxeBuilder from '@axe-core/playwright'
import { expect, type Locator, type Page } from '@playwright/test'

export interface Size {
  width: number
  height: number
}

/** The window sizes every screen must work at: a small laptop, a common one, a large one. */
export const SIZES: readonly Size[] = [
  { width: 1024, height: 640 },
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
]

export const sizeName = (s: Size): string => `${s.width}x${s.height}`

export interface FitOptions {
  /**
   * Elements that must lie wholly inside the window (the room has no page
   * scroll: everything it shows must be on screen). Screens that scroll
   * (home, library) check only that nothing sticks out sideways.
   */
  inside?: string[]
}

/**
 * What a person would call broken, measured in the page:
 * - the page never scrolls sideways;
 * - `inside` elements lie within the window;
 * - no text runs out of its box (scrollWidth > clientWidth), except where
 *   shortening it with "…" is the design (text-overflow: ellipsis);
 * Returns a list of problems, each naming the element, so a failure says what.
 */
export async function layoutProblems(page: Page, opts: FitOptions = {}): Promise<string[]> {
  return page.evaluate(({ inside }) => {
    const problems: string[] = []
    const vw = window.innerWidth
    const vh = window.innerHeight
    const name = (el: Element): string => {
      const id = el.getAttribute('data-testid')
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${text}"`
    }
    const visible = (el: Element): boolean => {
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden' || style.display === 'none') return false
      const r = el.getBoundingClientRect()
      return r.width > 0 && r.height > 0
    }
    if (document.documentElement.scrollWidth > vw + 1) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`)
    for (const selector of inside) {
      for (const el of document.querySelectorAll(selector)) {
        if (!visible(el)) continue
        const r = el.getBoundingClientRect()
        if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
          problems.push(`outside the window: ${name(el)} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`)
        }
      }
    }
    const texts = document.querySelectorAll('button, a, label, h1, h2, h3, p, dt, dd, kbd, code, .pill, [role="menuitem"], [role="menuitemradio"], .cb-label, .room-timer, .video-label, .video-cover-text')
    for (const el of texts) {
      if (!(el instanceof HTMLElement) || !visible(el)) continue
      if (getComputedStyle(el).textOverflow === 'ellipsis') continue
      // Scrolling lists (page thumbnails, the AI conversation) overflow on purpose.
      if (el.closest('.page-list, .ai-scroll, .picker-grid')) continue
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`text overflows: ${name(el)} (${el.scrollWidth} > ${el.clientWidth})`)
    }
    return problems
  }, { inside: opts.inside ?? [] })
}

export async function expectFits(page: Page, where: string, opts: FitOptions = {}): Promise<void> {
  expect(await layoutProblems(page, opts), where).toEqual([])
}

/** The boxes of the visible elements, for "these all sit on one row". */
async function rowTops(items: Locator): Promise<{ top: number; bottom: number; label: string }[]> {
  return items.evaluateAll((els) =>
    els
      .filter((el) => getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().width > 0)
      .map((el) => {
        const r = el.getBoundingClientRect()
        return { top: Math.round(r.top), bottom: Math.round(r.bottom), label: el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? el.textContent ?? '' }
      }),
  )
}

/** Nothing wraps: every item overlaps the first one's row (a second row would start below it). */
export async function expectOneRow(items: Locator, where: string): Promise<void> {
  const boxes = await rowTops(items)
  expect(boxes.length, `${where}: items`).toBeGreaterThan(1)
  const first = boxes[0]!
  const offRow = boxes.filter((b) => b.top >= first.bottom || b.bottom <= first.top)
  expect(offRow, `${where}: on a second row`).toEqual([])
}

/** Two boxes do not overlap (a notice must not cover tools). */
export async function expectApart(a: Locator, b: Locator, where: string): Promise<void> {
  const [ra, rb] = [await a.boundingBox(), await b.boundingBox()]
  expect(ra && rb, `${where}: both on screen`).toBeTruthy()
  const overlap = ra!.x < rb!.x + rb!.width && rb!.x < ra!.x + ra!.width && ra!.y < rb!.y + rb!.height && rb!.y < ra!.y + ra!.height
  expect(overlap, `${where}: overlap`).toBe(false)
}

/** One box lies wholly inside another (a thumbnail in sight in its scrolling strip); retried while it scrolls. */
export async function expectWithin(inner: Locator, outer: Locator, where: string): Promise<void> {
  await expect(async () => {
    const [ri, ro] = [await inner.boundingBox(), await outer.boundingBox()]
    expect(ri && ro, `${where}: both on screen`).toBeTruthy()
    const outside = ri!.x < ro!.x - 1 || ri!.y < ro!.y - 1 || ri!.x + ri!.width > ro!.x + ro!.width + 1 || ri!.y + ri!.height > ro!.y + ro!.height + 1
    expect(outside, `${where}: outside ${JSON.stringify(ro)} at ${JSON.stringify(ri)}`).toBe(false)
  }).toPass({ timeout: 5_000 })
}

/**
 * The screen as it is now passes axe-core's WCAG 2.1 A and AA rules (names
 * for every control, contrast, ARIA used as specified, the page's language):
 * what a screen reader or a keyboard user meets first. Moving video is left
 * out (its pixels change under the contrast check). A failure lists each rule
 * broken with the elements that break it.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).exclude('video').analyze()
  const broken = result.violations.map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`)
  expect(broken, `${where}: accessibility`).toEqual([])
}
