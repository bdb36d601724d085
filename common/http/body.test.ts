import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBody } from './body.ts'

describe('readBody', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      readBody(req, 8).then((b) => {
        res.writeHead(b === null ? 413 : 200)
        res.end(b ?? '')
      }, () => res.destroy())
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('returns a body within the limit, multi-byte characters whole', async () => {
    const res = await fetch(url, { method: 'POST', body: '确认' })
    expect([res.status, await res.text()]).toEqual([200, '确认'])
  })

  it('answers null for a larger body, and the client still gets the answer', async () => {
    const res = await fetch(url, { method: 'POST', body: 'x'.repeat(100_000) })
    expect(res.status).toBe(413)
  })
})
