import { readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { findChromium } from './chromium.ts'
import { screenshot } from './screenshot.ts'

const PASSWORD = 'a long enough password'

/** readBody collects a request body as text. */
async function readBody(req: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of req) body += chunk
  return body
}

describe.skipIf(!findChromium())('screenshot', () => {
  const file = join(tmpdir(), `wall-shot-${process.pid}.png`)
  /** the pages the server answered, and whether each carried the session cookie */
  let served: Array<{ path: string; signedIn: boolean }> = []
  // A stand-in for the dashboard: a login that sets a cookie the way the real one
  // does (HttpOnly, SameSite=Strict, Secure), and a page that is only shown to it.
  const server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/api/v1/login') {
      const body = await readBody(req)
      const json = req.headers['content-type']?.startsWith('application/json')
      const creds = json ? (JSON.parse(body) as { username?: string; password?: string }) : {}
      if (creds.username !== 'demo-leader' || creds.password !== PASSWORD) {
        res.writeHead(401, { 'content-type': 'application/json' })
        return res.end('{"error":"wrong username or password"}')
      }
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'jiancha_session=t0k3n; HttpOnly; SameSite=Strict; Path=/; Secure; Max-Age=60' })
      return res.end('{}')
    }
    if (req.url !== '/') return res.writeHead(404).end() // the browser's favicon
    const signedIn = /(?:^|;\s*)jiancha_session=t0k3n(?:;|$)/.test(req.headers.cookie ?? '')
    served.push({ path: req.url, signedIn })
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(signedIn ? '<body style="background:#07122a"><div id="wall">wall</div></body>' : '<body><form id="login">sign in</form></body>')
  })
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/#/wall`
  })
  beforeEach(() => {
    served = []
    rmSync(file, { force: true })
  })
  afterAll(async () => {
    rmSync(file, { force: true })
    await new Promise<void>((ok) => server.close(() => ok()))
  })

  it('writes a PNG of the requested size once the selector shows', async () => {
    await screenshot(url, file, { width: 320, height: 200, waitFor: '#login', settleMs: 0 })
    const png = readFileSync(file)
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.readUInt32BE(16)).toBe(320) // IHDR width
    expect(png.readUInt32BE(20)).toBe(200) // IHDR height
    expect(served).toEqual([{ path: '/', signedIn: false }])
  })

  it('signs in first, so the page is loaded with the session cookie', async () => {
    await screenshot(url, file, { width: 320, height: 200, signIn: { username: 'demo-leader', password: PASSWORD }, waitFor: ['body', '#wall'], settleMs: 0 })
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG')
    expect(served).toEqual([{ path: '/', signedIn: true }])
  })

  it('throws on a refused sign-in instead of shooting the login page', async () => {
    const shot = screenshot(url, file, { width: 320, height: 200, signIn: { username: 'demo-leader', password: 'wrong password!' }, settleMs: 0 })
    await expect(shot).rejects.toThrow(/sign-in as demo-leader failed: 401/)
    expect(served).toEqual([])
    expect(() => readFileSync(file)).toThrow()
  })
})
