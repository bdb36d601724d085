import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendJson } from './json.ts'

describe('sendJson', () => {
  const server = createServer((_req, res) => sendJson(res, 418, { error: '茶壶' }))
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

  it('writes status, utf-8 JSON with the right length, and forbids caching', async () => {
    const r = await fetch(url)
    expect(r.status).toBe(418)
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(await r.json()).toEqual({ error: '茶壶' })
  })
})
