import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppProtocolHandler } from '../../../../../electron/main/protocol/appProtocol'
import { CONTENT_SECURITY_POLICY, withCsp } from '../../../../../electron/main/security/csp'
import { fakeLogger } from '../../fakes'

let base: string
let handler: (request: Request) => Promise<Response>

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'duet-protocol-'))
  const root = join(base, 'renderer')
  await mkdir(join(root, 'assets'), { recursive: true })
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Duet</title>')
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(join(root, 'assets', 'KaTeX_Main-Regular-abc123.woff2'), 'wOF2')
  await mkdir(join(root, 'assets', 'media.v1'))
  await writeFile(join(base, 'secret.txt'), 'top secret')
  handler = createAppProtocolHandler({ root, readFile: (p) => readFile(p), logger: fakeLogger() })
})

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('app:// protocol handler', () => {
  it('serves files with their type, the CSP and nosniff', async () => {
    const res = await handler(new Request('app://duet/assets/app.js'))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('console.log(1)')
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('serves KaTeX’s fonts as fonts, which the CSP allows from the app itself', async () => {
    const res = await handler(new Request('app://duet/assets/KaTeX_Main-Regular-abc123.woff2'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('font/woff2')
    expect(CONTENT_SECURITY_POLICY).toContain("font-src 'self'")
  })

  it('serves index.html at the root and for client-side routes', async () => {
    for (const url of ['app://duet/', 'app://duet/join/K7P2QXMA']) {
      const res = await handler(new Request(url))
      expect(res.status, url).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(await res.text()).toContain('<title>Duet</title>')
    }
  })

  it('answers 404 for a missing asset instead of the SPA page', async () => {
    expect((await handler(new Request('app://duet/assets/missing.js'))).status).toBe(404)
  })

  it('answers 404 for a directory', async () => {
    expect((await handler(new Request('app://duet/assets/media.v1'))).status).toBe(404)
  })

  it('refuses traversal out of the renderer folder', async () => {
    for (const url of ['app://duet/..%2fsecret.txt', 'app://duet/assets/..%2F..%2Fsecret.txt', 'app://duet/..%5csecret.txt']) {
      const res = await handler(new Request(url))
      expect(res.status, url).toBe(403)
      expect(await res.text()).not.toContain('top secret')
    }
    // WHATWG URL parsing already folds plain and %2e dot segments: they land inside the root.
    const folded = await handler(new Request('app://duet/%2e%2e/secret.txt'))
    expect(await folded.text()).not.toContain('top secret')
  })

  it('allows only GET and HEAD', async () => {
    expect((await handler(new Request('app://duet/index.html', { method: 'POST', body: 'x' }))).status).toBe(405)
    const head = await handler(new Request('app://duet/index.html', { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})

describe('app:// protocol handler: pages generated in main', () => {
  it('serves the sharing bar page with the CSP, and files for everything else', async () => {
    const root = join(base, 'renderer')
    const generated = createAppProtocolHandler({
      root,
      readFile: (p) => readFile(p),
      logger: fakeLogger(),
      generatedPage: (url) => (url.pathname === '/_duet/sharing-bar.html' ? '<p>bar</p>' : null),
    })
    const res = await generated(new Request('app://duet/_duet/sharing-bar.html?lang=en'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(await res.text()).toBe('<p>bar</p>')
    expect(await (await generated(new Request('app://duet/assets/app.js'))).text()).toBe('console.log(1)')
    // Traversal is refused before any page is generated.
    expect((await generated(new Request('app://duet/_duet/..%2f..%2fsecret.txt'))).status).toBe(403)
  })
})

describe('withCsp', () => {
  it('replaces any CSP the dev server sent and keeps the other headers', () => {
    const out = withCsp({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' })
    expect(out['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
    expect(out['content-security-policy']).toBeUndefined()
    expect(out['Content-Type']).toEqual(['text/html'])
  })

  it('contains the directives the app relies on', () => {
    for (const d of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", 'connect-src \'self\' http: https: ws: wss:']) {
      expect(CONTENT_SECURITY_POLICY).toContain(d)
    }
    expect(CONTENT_SECURITY_POLICY).not.toContain("script-src 'self' 'unsafe")
  })
})
