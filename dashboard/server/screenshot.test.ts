import { readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium } from './chromium.ts'
import { screenshot } from './screenshot.ts'

describe.skipIf(!findChromium())('screenshot', () => {
  const file = join(tmpdir(), `wall-shot-${process.pid}.png`)
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<body style="background:#07122a"><div id="ready">ok</div></body>')
  })
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterAll(async () => {
    rmSync(file, { force: true })
    await new Promise<void>((ok) => server.close(() => ok()))
  })

  it('writes a PNG of the requested size once the selector shows', async () => {
    await screenshot(url, file, { width: 320, height: 200, waitFor: '#ready', settleMs: 0 })
    const png = readFileSync(file)
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.readUInt32BE(16)).toBe(320) // IHDR width
    expect(png.readUInt32BE(20)).toBe(200) // IHDR height
  })
})
