import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentType, resolveStaticPath, serveStatic } from './staticFiles.ts'

/** rawGet sends the path exactly as written; fetch() would normalise the dots away. */
function rawGet(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }))
    })
    req.on('error', fail)
    req.end()
  })
}

describe('static files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wall-static-'))
  const root = join(dir, 'dist')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>wall</title>')
  writeFileSync(join(root, 'assets', 'app-123.js'), 'console.log(1)')
  writeFileSync(join(root, 'assets', 'app-123.css'), 'body{}')
  writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET')

  const server = createServer((req, res) => void serveStatic(root, req, res, new URL(req.url ?? '/', 'http://x').pathname))
  let port = 0
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()))
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves files with their content types', async () => {
    const js = await rawGet(port, '/assets/app-123.js')
    expect(js).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', body: 'console.log(1)' })
    expect((await rawGet(port, '/assets/app-123.css')).type).toBe('text/css; charset=utf-8')
    expect((await rawGet(port, '/')).type).toBe('text/html; charset=utf-8')
  })

  it('falls back to index.html for app routes but not for missing assets', async () => {
    expect((await rawGet(port, '/wall/leaders')).body).toContain('<title>wall</title>')
    expect((await rawGet(port, '/assets/missing.js')).status).toBe(404)
  })

  it('never serves a file outside the folder', async () => {
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/%E0%A4%A']) {
      const r = await rawGet(port, p)
      expect(r.body, p).not.toContain('TOP SECRET')
    }
    expect(resolveStaticPath(root, '/../secret.txt')).toBeNull()
    expect(resolveStaticPath(root, '/%2e%2e/secret.txt')).toBeNull()
    expect(resolveStaticPath(root, '/assets/x.js')).toBe(join(root, 'assets', 'x.js'))
  })

  it('maps unknown extensions to octet-stream', () => {
    expect(contentType('a.bin')).toBe('application/octet-stream')
    expect(contentType('A.SVG')).toBe('image/svg+xml')
  })
})
