/**
 * The department routes as the platform mounts them (startDashboardServer with the
 * registry and the console), on PGlite and, with TEST_DATABASE_URL, PostgreSQL: who
 * may read and change the registry, the answers naming the field, the audit rows, the
 * unregistered codes from case events and cards, and the names every wall reloads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io as connect } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser, SESSION_COOKIE, Sessions } from '../../../accounts/index.ts'
import { ESCALATION_LIST_NAMES } from '../../../alerts/index.ts'
import { insertAlert, testThreads } from '../../../alerts/testing.ts'
import type { DepartmentView, DeptNames, Unregistered } from '../../../common/contract/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { DeptDirectory, saveDepartments } from '../../../common/departments/index.ts'
import { storeCaseEvent } from '../../../rules/testing.ts'
import { auditWriter } from './consoleAudit.ts'
import { type DashboardServer, startDashboardServer } from '../dashboardServer.ts'
import { MemorySource } from '../testdata/cards.ts'

const PW = 'a long enough password'
const WATER = { code: 'water', names: { 'zh-CN': '水务局', en: 'Water Bureau' }, kind: 'service' }

describe.each(openTestDbs())('department routes on $name', ({ open }) => {
  let db: Db
  let server: DashboardServer
  let directory: DeptDirectory
  const dir = mkdtempSync(join(tmpdir(), 'dept-routes-'))
  const cookie: Record<string, string> = {}

  beforeAll(async () => {
    db = await open()
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>wall</title>')
    const sessions = new Sessions(db, { secureCookies: false })
    for (const u of [{ username: 'zhao', role: 'admin' }, { username: 'wang', role: 'inspector' }, { username: 'market-desk', role: 'department', dept: 'market' }]) {
      await createUser(db, { ...u, password: PW })
      const r = await sessions.login(u.username, PW, '127.0.0.1')
      if (!r.ok) throw new Error(`sign-in of ${u.username} failed`)
      cookie[u.username] = `${SESSION_COOKIE}=${r.token}`
    }
    await saveDepartments(db, [{ dept: { code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'supervision', parent: null, active: true } }], { actor: 'test', via: 'test', at: Date.now() })
    directory = await DeptDirectory.load(db)
    server = await startDashboardServer({
      host: '127.0.0.1', port: 0, source: new MemorySource(), staticDir: dir, sessions, log: () => {},
      deptNames: ESCALATION_LIST_NAMES, departments: directory,
      console: { db, threads: testThreads(db), attachmentsDir: dir, audit: auditWriter(db, Date.now) },
    })
  })
  afterAll(async () => {
    await server?.close()
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const call = (method: string, path: string, who?: string, body?: unknown, type = 'application/json') =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { ...(who ? { cookie: cookie[who]! } : {}), ...(body !== undefined ? { 'content-type': type } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
  const json = async (r: Response) => (await r.json()) as Record<string, unknown>
  const audits = async () =>
    (await db.query<{ actor: string; action: string; subject: string; detail: Record<string, unknown> }>(
      "SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE 'dept.%' AND actor <> 'test' ORDER BY seq",
    )).rows

  it('lets an admin read the registry, and nobody else', async () => {
    const r = await call('GET', '/api/v1/departments', 'zhao')
    expect(r.status).toBe(200)
    const list = (await json(r)).departments as DepartmentView[]
    expect(list).toEqual([{ code: 'market', names: { 'zh-CN': '市场监管局', en: 'Market Regulation Bureau' }, kind: 'supervision', parent: null, active: true, updatedAt: expect.any(String) }])
    expect((await call('GET', '/api/v1/departments')).status).toBe(401)
    for (const who of ['wang', 'market-desk']) {
      const refused = await call('GET', '/api/v1/departments', who)
      expect(refused.status, who).toBe(403)
      expect((await json(refused)).error).toMatch(/may not manage departments/)
    }
  })

  it('lets an admin add a department, audited, and a department user not', async () => {
    const refused = await call('POST', '/api/v1/departments', 'market-desk', WATER)
    expect(refused.status).toBe(403)
    expect(await audits()).toEqual([])

    const r = await call('POST', '/api/v1/departments', 'zhao', WATER)
    expect(r.status).toBe(201)
    expect((await json(r)).department).toMatchObject({ code: 'water', names: WATER.names, kind: 'service', parent: null, active: true })
    expect(await audits()).toEqual([
      { actor: 'zhao', action: 'dept.created', subject: 'dept:water', detail: { via: 'console', name_zh: '水务局', name_en: 'Water Bureau', kind: 'service', parent: null, active: true } },
    ])
    const again = await call('POST', '/api/v1/departments', 'zhao', WATER)
    expect(again.status).toBe(409)
    expect(await json(again)).toEqual({ error: 'code "water" is registered already; change it instead', field: 'code' })
  })

  it('changes a department, keeping what the body leaves out, and deactivates one', async () => {
    const r = await call('PUT', '/api/v1/departments/water', 'zhao', { names: { 'zh-CN': '水务集团', en: 'Water Group' }, kind: 'service', parent: 'market' })
    expect(r.status).toBe(200)
    expect(await json(r)).toMatchObject({ changed: true, department: { names: { 'zh-CN': '水务集团', en: 'Water Group' }, parent: 'market', active: true } })
    const off = await call('PUT', '/api/v1/departments/water', 'zhao', { names: { 'zh-CN': '水务集团', en: 'Water Group' }, kind: 'service', active: false })
    expect(await json(off)).toMatchObject({ changed: true, department: { parent: 'market', active: false } })
    const same = await call('PUT', '/api/v1/departments/water', 'zhao', { names: { 'zh-CN': '水务集团', en: 'Water Group' }, kind: 'service', active: false })
    expect(await json(same)).toMatchObject({ changed: false })
    expect((await audits()).slice(1).map((a) => [a.action, a.detail.changes])).toEqual([
      ['dept.updated', { name_zh: { from: '水务局', to: '水务集团' }, name_en: { from: 'Water Bureau', to: 'Water Group' }, parent: { from: null, to: 'market' } }],
      ['dept.updated', { active: { from: true, to: false } }],
    ])
    expect((await call('PUT', '/api/v1/departments/nowhere', 'zhao', { names: WATER.names, kind: 'service' })).status).toBe(404)
    expect((await call('PUT', '/api/v1/departments/water', 'market-desk', WATER)).status).toBe(403)
  })

  it('answers a bad body with 400 naming the field, 413 and 415', async () => {
    const bad = async (body: unknown, path = '/api/v1/departments', method = 'POST') => json(await call(method, path, 'zhao', body))
    expect(await bad({ ...WATER, code: '水务' })).toEqual({ error: 'code "水务" must be a code: ASCII letters, digits and _ . : - , starting with a letter or digit, as the source systems send it', field: 'code' })
    expect((await bad({ ...WATER, code: 'w2', names: { en: 'W' } })).field).toBe('names.zh-CN')
    expect((await bad({ ...WATER, code: 'w2', names: 'x' })).field).toBe('names')
    expect((await bad({ ...WATER, code: 'w2', kind: 'bureau' })).field).toBe('kind')
    expect((await bad({ ...WATER, code: 'w2', active: 'yes' })).field).toBe('active')
    expect(await bad({ ...WATER, code: 'w2', parent: 'nowhere' })).toEqual({ error: 'parent "nowhere" is not a registered department', field: 'parent' })
    expect((await bad({ ...WATER, code: 'inspection' })).error).toBe('code "inspection" is one of the platform\'s own contact lists, not a department')
    expect((await bad({ ...WATER, code: 'other' }, '/api/v1/departments/water', 'PUT')).field).toBe('code')
    expect((await call('POST', '/api/v1/departments', 'zhao', 'code=w2', 'application/x-www-form-urlencoded')).status).toBe(415)
    expect((await call('POST', '/api/v1/departments', 'zhao', { ...WATER, pad: 'x'.repeat(9000) })).status).toBe(413)
    expect((await call('POST', '/api/v1/departments', 'zhao', '{')).status).toBe(400)
    expect((await call('DELETE', '/api/v1/departments/water', 'zhao')).status).toBe(405)
  })

  it('lists the codes seen in case events or on cards that the registry lacks, with open cards and last seen', async () => {
    const t = Date.parse('2026-11-24T01:00:00Z')
    await storeCaseEvent(db, { id: 'e1', kind: 'approval', type: 'accepted', caseId: 'R-1', dept: 'roads', at: '2026-11-24T08:00:00+08:00' })
    await storeCaseEvent(db, { id: 'e2', kind: 'approval', type: 'completed', caseId: 'R-1', dept: 'roads', at: '2026-11-24T09:00:00+08:00' })
    await storeCaseEvent(db, { id: 'e3', kind: 'approval', type: 'accepted', caseId: 'M-1', dept: 'market', at: '2026-11-24T09:00:00+08:00' })
    await storeCaseEvent(db, { id: 'e4', kind: 'approval', type: 'completed', caseId: 'Q-1', dept: 'quiet', at: '2026-11-24T08:00:00+08:00' }, false)
    await insertAlert(db, { key: 'k1', dept: 'roads', at: '2026-11-24T09:00:00+08:00' })
    await insertAlert(db, { key: 'k2', dept: 'roads', at: '2026-11-24T09:00:00+08:00', level: 'yellow' })
    await insertAlert(db, { key: 'k3', dept: 'platform', at: '2026-11-24T09:00:00+08:00', level: 'yellow' })
    await insertAlert(db, { key: 'k4', dept: 'market', at: '2026-11-24T09:00:00+08:00' })
    const r = await call('GET', '/api/v1/departments/unregistered', 'zhao')
    expect(r.status).toBe(200)
    expect((await r.json()) as Unregistered).toEqual({
      depts: [
        { code: 'roads', openCards: 2, lastSeen: new Date(t).toISOString() },
        { code: 'platform', openCards: 1, lastSeen: null },
        { code: 'quiet', openCards: 0, lastSeen: new Date(t - 3_600_000).toISOString() },
      ],
      total: 3,
    })
    expect((await call('GET', '/api/v1/departments/unregistered', 'market-desk')).status).toBe(403)

    // Registered, it leaves the list.
    await call('POST', '/api/v1/departments', 'zhao', { code: 'roads', names: { 'zh-CN': '公路局', en: 'Roads Bureau' }, kind: 'service' })
    expect(((await (await call('GET', '/api/v1/departments/unregistered', 'zhao')).json()) as Unregistered).depts.map((d) => d.code)).toEqual(['platform', 'quiet'])
  })

  it('serves the registry\'s names beside the platform\'s lists, and tells the walls when they change', async () => {
    const names = async () => (await (await call('GET', '/api/v1/depts', 'wang')).json()) as DeptNames
    expect(await names()).toMatchObject({
      market: { 'zh-CN': '市场监管局', en: 'Market Regulation Bureau' },
      water: { 'zh-CN': '水务集团', en: 'Water Group', active: false },
      inspection: { 'zh-CN': '纪检监察室', en: 'Discipline inspection office' },
      leaders: { 'zh-CN': '分管领导', en: 'Leaders in charge' },
    })
    const socket = connect(server.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: cookie['market-desk']! } })
    try {
      await new Promise((ok) => socket.once('connect', () => ok(undefined)))
      const told = new Promise((ok) => socket.once('depts', ok))
      await call('POST', '/api/v1/departments', 'zhao', { code: 'parks', names: { 'zh-CN': '园林局', en: 'Parks Bureau' }, kind: 'service' })
      await told
      expect((await names()).parks).toEqual({ 'zh-CN': '园林局', en: 'Parks Bureau' })
      expect(directory.nameOf('parks')).toBe('园林局')
    } finally {
      socket.close()
    }
  })
})
