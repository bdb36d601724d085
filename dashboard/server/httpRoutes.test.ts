import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseNotFound, FlagError, flagCard, type FlagRequest, type FlagResult } from '../../alerts/index.ts'
import { SourceAuth } from '../../common/http/index.ts'
import type { User } from '../../accounts/index.ts'
import { handleRequest, MAX_FLAG_BODY, type RouteDeps } from './httpRoutes.ts'
import { openTestAccounts, type TestAccounts } from './testdata/accounts.ts'
import { MemorySource, testCard } from './testdata/cards.ts'
import type { HealthReport, WallSnapshot } from '../../common/contract/index.ts'

describe('http routes', () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'wall-routes-'))
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wall</title>')
  const source = new MemorySource()
  const logs: string[] = []
  let failSnapshot = false
  let health: HealthReport = { state: 'ok', components: [] }
  let accounts: TestAccounts
  let server: Server
  let base = ''
  /** as fetches a path as a signed-in test user */
  const as = (who: string, path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { cookie: accounts.cookie(who) } })
  beforeAll(async () => {
    accounts = await openTestAccounts()
    const deps: RouteDeps = {
      source: { ...source, now: () => source.now(), live: source.live, liveSms: source.liveSms, snapshot: () => (failSnapshot ? Promise.reject(new Error('db down')) : source.snapshot()) },
      staticDir,
      deptNames: () => ({ health: { 'zh-CN': '卫健委', en: 'Health Commission' } }),
      log: (m: string) => logs.push(m),
      sessions: accounts.sessions,
      health: async () => health,
    }
    server = createServer((req, res) => void handleRequest(deps, req, res))
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()))
    rmSync(staticDir, { recursive: true, force: true })
    await accounts?.close()
  })

  it('answers /healthz with the report of its process, without a session: 200 when ok, 503 otherwise', async () => {
    const ok = await fetch(`${base}/healthz`)
    expect([ok.status, await ok.json()]).toEqual([200, health])
    health = { state: 'degraded', components: [] }
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(503)
    } finally {
      health = { state: 'ok', components: [] }
    }
  })

  it('serves the wall snapshot newest first, to the signed in only', async () => {
    source.storeQuietly(testCard('A-1', 'approval.overdue', 'red', 'health', '2026-03-01T08:00:00+08:00'))
    source.storeQuietly(testCard('A-2', 'approval.due_soon', 'yellow', 'health', '2026-03-02T08:00:00+08:00'))
    const anon = await fetch(`${base}/api/v1/wall`)
    expect(anon.status).toBe(401)
    expect(await anon.json()).toEqual({ error: 'not signed in' })
    const r = await as('li', '/api/v1/wall')
    expect(r.headers.get('content-type')).toContain('application/json')
    const s = (await r.json()) as WallSnapshot
    expect(s.alerts.map((a) => a.caseId)).toEqual(['A-2', 'A-1'])
    expect(s.counts).toEqual({ yellow: 1, red: 1 })
    expect(s.byDept).toEqual([{ dept: 'health', yellow: 1, red: 1 }])
  })

  it('gives a department user an empty wall of its own, never another department\'s', async () => {
    const s = (await (await as('market-desk', '/api/v1/wall')).json()) as WallSnapshot
    expect(s).toMatchObject({ alerts: [], byDept: [], counts: { yellow: 0, red: 0 }, scope: { dept: 'market' } })
  })

  it('serves department names to the signed in', async () => {
    expect((await fetch(`${base}/api/v1/depts`)).status).toBe(401)
    expect(await (await as('health-desk', '/api/v1/depts')).json()).toEqual({ health: { 'zh-CN': '卫健委', en: 'Health Commission' } })
  })

  it('answers unknown API routes with 404 JSON, not the SPA', async () => {
    const r = await fetch(`${base}/api/v2/nothing`)
    expect(r.status).toBe(404)
    expect(await r.json()).toEqual({ error: 'no route /api/v2/nothing' })
  })

  it('refuses writes', async () => {
    const r = await as('li', '/api/v1/wall', { method: 'POST' })
    expect(r.status).toBe(405)
    expect(((await r.json()) as { error: string }).error).toBe('method not allowed')
  })

  it('turns a failing source into a 500 JSON and a log line', async () => {
    failSnapshot = true
    const r = await as('li', '/api/v1/wall')
    failSnapshot = false
    expect(r.status).toBe(500)
    expect(await r.json()).toEqual({ error: 'internal error' })
    expect(logs.some((l) => l.includes('db down'))).toBe(true)
  })

  it('serves the SPA for everything else', async () => {
    expect(await (await fetch(`${base}/`)).text()).toContain('<title>wall</title>')
  })

  it('answers POST /api/v1/flags with 404 when flagging is not wired', async () => {
    const r = await fetch(`${base}/api/v1/flags`, { method: 'POST', body: '{}' })
    expect(r.status).toBe(404)
    expect(await r.json()).toEqual({ error: 'flagging is not enabled on this server' })
  })
})

const SESSION_USER: User = { id: 1, username: '', role: 'inspector', dept: null, canUnmask: false, disabled: false, createdAt: new Date(0) }

describe('POST /api/v1/flags', () => {
  const TOKEN = 'inspector-token-0123456789abcdef'
  const calls: FlagRequest[] = []
  const open = new Set<string>()
  // Stands in for flagCase: P-1 is the only case; a card stays open once flagged.
  async function flag(req: FlagRequest): Promise<FlagResult> {
    calls.push(req)
    if (req.level !== undefined && req.level !== 'yellow' && req.level !== 'red') throw new FlagError('level', 'level must be yellow or red')
    if (req.caseId !== 'P-1') throw new CaseNotFound('petition', String(req.caseId))
    if (req.reason === 'boom') throw new Error('bus down')
    const card = flagCard({
      kind: 'petition', caseId: 'P-1', reason: String(req.reason), level: (req.level as 'red' | undefined) ?? 'yellow', inspector: req.inspector,
      now: 0, dept: 'letters', causes: ['e1'], format: String, settingsVersion: 't',
    })
    const status = open.has(card.key) ? 'already' : 'flagged'
    open.add(card.key)
    return { status, card }
  }
  const logs: string[] = []
  const deps: RouteDeps = {
    source: new MemorySource(),
    staticDir: tmpdir(),
    deptNames: () => ({}),
    log: (m) => logs.push(m),
    flags: { auth: new SourceAuth([{ name: 'inspector-wang', token: TOKEN }]), flag },
    // Stands in for Sessions: the cookie names the user.
    sessions: {
      authenticate: async (req) => {
        const who = /jiancha_session=(\w+)/.exec(req.headers.cookie ?? '')?.[1]
        return who ? { ...SESSION_USER, username: who, role: who.startsWith('leader') ? 'leader' : 'inspector' } : null
      },
    },
  }
  const server = createServer((req, res) => void handleRequest(deps, req, res))
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/flags`
  })
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

  const send = async (body: unknown, token: string | null = TOKEN, method = 'POST') => {
    const r = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    return { status: r.status, json: (await r.json()) as Record<string, unknown>, headers: r.headers }
  }

  it('files a flag as the token\'s inspector: 201 flagged, then 200 already', async () => {
    const body = { kind: 'petition', caseId: 'P-1', reason: '久拖不办' }
    expect(await send(body)).toMatchObject({ status: 201, json: { status: 'flagged', key: 'inspection.flag:yellow:petition:P-1' } })
    expect(calls.at(-1)).toEqual({ ...body, level: undefined, inspector: 'inspector-wang' })
    expect(logs).toContain('dashboard: inspector-wang flagged inspection.flag:yellow:petition:P-1')
    expect(await send(body)).toMatchObject({ status: 200, json: { status: 'already', key: 'inspection.flag:yellow:petition:P-1' } })
  })

  it('refuses a missing or unknown token with 401 before reading the body', async () => {
    const n = calls.length
    for (const token of [null, 'not-a-known-token-at-all']) {
      const r = await send({ kind: 'petition', caseId: 'P-1', reason: '久拖不办' }, token)
      expect(r.status).toBe(401)
      expect(r.json.error).toMatch(/bearer token/)
      expect(r.headers.get('www-authenticate')).toBe('Bearer')
    }
    expect(calls.length).toBe(n)
  })

  it('answers 400 naming the field', async () => {
    expect(await send({ kind: 'petition', caseId: 'P-1', reason: '久拖不办', level: 'green' })).toMatchObject({ status: 400, json: { field: 'level' } })
    expect(await send('{"kind": ')).toMatchObject({ status: 400, json: { field: '(body)' } })
    expect(await send([1, 2])).toMatchObject({ status: 400, json: { field: '(body)', error: expect.stringContaining('JSON object') } })
  })

  it('answers 404 for an unknown case', async () => {
    const r = await send({ kind: 'petition', caseId: 'P-404', reason: '久拖不办' })
    expect(r).toMatchObject({ status: 404, json: { error: 'no petition case "P-404": flag a case the platform has received events for' } })
  })

  it('answers 413 for a body over 64 KB', async () => {
    const r = await send({ kind: 'petition', caseId: 'P-1', reason: 'x'.repeat(MAX_FLAG_BODY) })
    expect(r.status).toBe(413)
  })

  it('answers 405 to other methods and 500 to a failure', async () => {
    expect((await send(undefined, TOKEN, 'GET')).status).toBe(405)
    expect(await send({ kind: 'petition', caseId: 'P-1', reason: 'boom' })).toMatchObject({ status: 500, json: { error: 'internal error' } })
    expect(logs.some((l) => l.includes('bus down'))).toBe(true)
  })

  it('accepts a signed-in inspector\'s session instead of a token, and refuses a leader\'s with 403', async () => {
    const post = (cookie: string, type = 'application/json') =>
      fetch(url, { method: 'POST', headers: { cookie, 'content-type': type }, body: JSON.stringify({ kind: 'petition', caseId: 'P-1', reason: '会话巡检', level: 'red' }) })
    const r = await post('jiancha_session=zhao')
    expect(r.status).toBe(201)
    expect(calls.at(-1)?.inspector).toBe('zhao')
    expect((await post('jiancha_session=leaderli')).status).toBe(403)
    expect((await post('jiancha_session=zhao', 'text/plain')).status).toBe(415)
    expect((await post('jiancha_session=')).status).toBe(401)
  })
})

describe('the console mount', () => {
  const seen: string[] = []
  const deps: RouteDeps = {
    source: new MemorySource(),
    staticDir: tmpdir(),
    deptNames: () => ({}),
    log: () => {},
    sessions: { authenticate: async () => null },
    console: async (req, res) => {
      seen.push(req.url ?? '')
      if (!req.url?.startsWith('/api/v1/threads')) return false
      res.writeHead(204).end()
      return true
    },
  }
  const server = createServer((req, res) => void handleRequest(deps, req, res))
  let base = ''
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

  it('answers the paths it owns, any method, and leaves the rest to the wall routes', async () => {
    expect((await fetch(`${base}/api/v1/threads/1/approve`, { method: 'POST' })).status).toBe(204)
    expect((await fetch(`${base}/api/v1/depts`)).status).toBe(401)
    expect((await fetch(`${base}/api/v1/nothing`, { method: 'POST' })).status).toBe(405)
    expect(seen).toEqual(['/api/v1/threads/1/approve', '/api/v1/depts', '/api/v1/nothing'])
  })
})
