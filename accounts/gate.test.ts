import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendJson } from '../common/http/index.ts'
import { openTestAccounts, type TestAccounts } from './testdata/accounts.ts'
import { allowMethod, withSession } from './gate.ts'

describe('the route gate', () => {
  let accounts: TestAccounts
  let server: Server
  let base = ''
  beforeAll(async () => {
    accounts = await openTestAccounts()
    // /get answers GET for the signed in; /post answers POST, advertising GET too
    server = createServer((req, res) => {
      const [method, allow] = req.url === '/post' ? (['POST', 'GET, HEAD, POST'] as const) : (['GET', undefined] as const)
      if (!allowMethod(req, res, method, allow)) return
      void withSession(accounts.sessions, req, res, async (u) => sendJson(res, 200, { who: u.username }))
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()))
    await accounts?.close()
  })

  it('answers the signed in and slides their cookie', async () => {
    const r = await fetch(`${base}/get`, { headers: { cookie: accounts.cookie('wang') } })
    expect(await r.json()).toEqual({ who: 'wang' })
    expect(r.headers.get('set-cookie')).toMatch(/^jiancha_session=[^;]+; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict/)
  })

  it('answers 401 without a session, and clears a dead cookie', async () => {
    const none = await fetch(`${base}/get`)
    expect([none.status, none.headers.get('set-cookie')]).toEqual([401, null])
    const dead = await fetch(`${base}/get`, { headers: { cookie: 'jiancha_session=not-a-session' } })
    expect(dead.status).toBe(401)
    expect(dead.headers.get('set-cookie')).toMatch(/^jiancha_session=; Max-Age=0/)
  })

  it('answers 405 naming what is allowed before looking at the session; GET admits HEAD', async () => {
    const wrong = await fetch(`${base}/get`, { method: 'DELETE', headers: { cookie: accounts.cookie('wang') } })
    expect([wrong.status, wrong.headers.get('allow'), wrong.headers.get('set-cookie')]).toEqual([405, 'GET, HEAD', null])
    expect((await fetch(`${base}/get`, { method: 'HEAD', headers: { cookie: accounts.cookie('wang') } })).status).toBe(200)
    const post = await fetch(`${base}/post`, { method: 'PUT' })
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST'])
  })
})
