import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionServer } from '../../../../src/server/index'
import { CONTENT_SECURITY_POLICY } from '../../../../src/server/http/staticFiles'
import { rawRequest, startServer } from '../helpers'

let tmp: string
let server: SessionServer
const INDEX = '<!doctype html><title>Duet</title><div id="app"></div>'

beforeAll(async () => {
  // webRoot sits inside tmp, next to a "secret" the traversal attempts aim at.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-static-'))
  const web = path.join(tmp, 'web')
  fs.mkdirSync(path.join(web, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(web, 'index.html'), INDEX)
  fs.writeFileSync(path.join(web, 'assets', 'index-abc123.js'), 'console.log(1)')
  fs.writeFileSync(path.join(web, 'assets', 'index-abc123.css'), 'body{}')
  fs.writeFileSync(path.join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  fs.writeFileSync(path.join(tmp, 'package.json'), '{"secret":true}')
  fs.symlinkSync(path.join(tmp, 'package.json'), path.join(web, 'link.json'))
  server = await startServer({ webRoot: web })
})
afterAll(async () => {
  await server.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('static web client', () => {
  it('serves index.html with security headers and no-cache', async () => {
    const res = await rawRequest(server, { path: '/' })
    expect(res.status).toBe(200)
    expect(res.body).toBe(INDEX)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.headers['cache-control']).toBe('no-cache')
  })

  it('serves assets with their content type and a long cache', async () => {
    const js = await rawRequest(server, { path: '/assets/index-abc123.js' })
    expect(js.status).toBe(200)
    expect(js.body).toBe('console.log(1)')
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const css = await rawRequest(server, { path: '/assets/index-abc123.css' })
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
    const svg = await rawRequest(server, { path: '/favicon.svg' })
    expect(svg.headers['content-type']).toBe('image/svg+xml')
    expect(svg.headers['cache-control']).toBe('no-cache')
  })

  it('answers a matching ETag with 304', async () => {
    const first = await rawRequest(server, { path: '/assets/index-abc123.js' })
    const etag = String(first.headers.etag)
    const again = await rawRequest(server, { path: '/assets/index-abc123.js', headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.body).toBe('')
  })

  it('falls back to index.html for app routes without an extension', async () => {
    const res = await rawRequest(server, { path: '/join/ABCD2345' })
    expect(res.status).toBe(200)
    expect(res.body).toBe(INDEX)
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    const missingFile = await rawRequest(server, { path: '/assets/missing.js' })
    expect(missingFile.status).toBe(404)
  })

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/assets/..%2f..%2fpackage.json',
    '/%2e%2e%2fpackage.json',
    '/..%5cpackage.json',
    '/link.json',
  ])('never serves files outside the web root: %s', async (p) => {
    const res = await rawRequest(server, { path: p })
    expect(res.body).not.toContain('secret')
    expect([400, 404]).toContain(res.status)
  })

  it('refuses writes to static paths, but /api still answers JSON', async () => {
    const put = await rawRequest(server, { method: 'PUT', path: '/index.html', body: 'x' })
    expect(put.status).toBe(405)
    const api = await rawRequest(server, { path: '/api/nope' })
    expect(api.status).toBe(404)
    expect(api.headers['content-type']).toMatch(/application\/json/)
  })

  it('serves no files at all when webRoot is null', async () => {
    const apiOnly = await startServer({ webRoot: null })
    try {
      const res = await rawRequest(apiOnly, { path: '/join/ABCD2345' })
      expect(res.status).toBe(404)
      expect(res.body).toMatch(/API only/)
    } finally {
      await apiOnly.close()
    }
  })
})
