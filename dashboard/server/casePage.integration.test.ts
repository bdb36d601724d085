/**
 * The case page's API (console/casePageRoutes.ts) and the public service API
 * (public/publicRoutes.ts) on one whole platform (collector → rules → alerts →
 * dashboard): an approval across National Day with a suspension shows its clock as the
 * cards fired, its cards and thread, to its own department and not to another; its
 * department issues the check code the public lookup opens it with; wrong codes answer
 * as unknown cases and are rate-limited per address and per case; a complaint enters
 * through the collector as a petition of source `public`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPlatform, type Platform } from '../../bin/platform.ts'
import { createUser } from '../../accounts/index.ts'
import { loadConfig } from '../../common/config/index.ts'
import type { CaseEvent, CasePage, ComplaintReceipt, PublicCaseProgress } from '../../common/contract/index.ts'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { saveDepartments } from '../../common/departments/index.ts'
import { logger } from '../../common/log/index.ts'
import { ManualClock, post, startTestServer, TOKEN, waitFor } from '../../test-support/platform.ts'

const PW = 'a long enough password'
const H = 3_600_000

describe('the case page and the public service API on a whole platform', () => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  const dataDir = mkdtempSync(join(tmpdir(), 'case-page-'))
  const clock = new ManualClock(Date.parse('2026-10-12T12:00:00+08:00'))
  const cookie: Record<string, string> = {}
  let base = ''

  beforeAll(async () => {
    db = await openTestDbs()[0]!.open()
    nats = await startTestServer('case-page')
    const cfg = loadConfig({
      env: {},
      overrides: {
        dataDir, natsUrl: nats.url, collectorPort: 0, dashboardPort: 0, alertsPort: 0, rulesPort: 0, tickMs: 50, settleMs: 100,
        sources: [{ name: 'hall', token: TOKEN }], smsProvider: 'console', logLevel: 'warn', trustedProxies: ['127.0.0.1'],
      },
    })
    await saveDepartments(db, [
      { dept: { code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'supervision', parent: null, active: true } },
      { dept: { code: 'health', nameZh: '卫健委', nameEn: 'Health Commission', kind: 'supervision', parent: null, active: true } },
    ], { actor: 'test', via: 'test', at: clock.now() })
    platform = await startPlatform(cfg, new Set(['collector', 'rules', 'alerts', 'dashboard']), logger('test'), { db, clock })
    base = platform.dashboardUrl!
    for (const u of [
      { username: 'wang', role: 'inspector' }, { username: 'li', role: 'leader' }, { username: 'sun', role: 'inspector', canUnmask: true },
      { username: 'market-desk', role: 'department', dept: 'market' }, { username: 'health-desk', role: 'department', dept: 'health' },
    ]) {
      await createUser(db, { ...u, password: PW })
      const r = await fetch(`${base}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.username, password: PW }) })
      cookie[u.username] = r.headers.get('set-cookie')!.split(';')[0]!
    }
    const ev = (id: string, type: string, at: string, attrs?: Record<string, unknown>): CaseEvent => ({ id, source: 'hall', kind: 'approval', type, caseId: 'A-9', dept: 'market', at, ...(attrs ? { attrs } : {}) })
    expect((await post(platform, [
      ev('a1', 'submitted', '2026-09-27T09:00:00+08:00', { itemCode: 'X1', phone: '13800001111' }),
      ev('a2', 'accepted', '2026-09-28T10:00:00+08:00', { itemCode: 'X1', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 }),
      ev('a3', 'suspended', '2026-10-09T09:00:00+08:00', { reason: 'correction' }),
      ev('a4', 'resumed', '2026-10-09T15:00:00+08:00'),
    ])).status).toBeLessThan(300)
    await waitFor(async () => Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM alerts WHERE case_id = 'A-9'")).rows[0]!.n) === 2, 'both cards of A-9')
    await waitFor(async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM alert_threads')).rows[0]!.n) === 1, 'its thread')
  })

  afterAll(async () => {
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  async function call(who: string | null, method: string, path: string, body?: unknown, ip?: string): Promise<{ status: number; json: any; headers: Headers }> {
    const headers: Record<string, string> = {}
    if (who) headers.cookie = cookie[who]!
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (ip) headers['x-forwarded-for'] = ip
    const r = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: r.status, json: await r.json(), headers: r.headers }
  }

  describe('GET /api/v1/cases/:kind/:caseId', () => {
    it('shows the clock the cards fired on: used, remaining, paused time, holidays and the make-up day', async () => {
      const { status, json } = await call('market-desk', 'GET', '/api/v1/cases/approval/A-9')
      expect(status).toBe(200)
      const page = json as CasePage
      expect(page).toMatchObject({ kind: 'approval', caseId: 'A-9', dept: 'market', masked: true, canIssueCode: true, canUnmask: false, checkCode: null })
      expect(page.clock).toMatchObject({ term: 'approval.promised', dayType: 'working', days: 5, paused: false, pausedMs: 6 * H, usedMs: (4 * 24 + 18 + 12) * H, remainingMs: -6 * H, countedDates: 6, makeUpDates: ['2026-10-10'] })
      expect(page.clock!.due).toBe('2026-10-12T06:00:00+08:00')
      expect(page.clock!.skipped.filter((s) => s.why === 'holiday')).toHaveLength(7)
      const overdue = page.cards.find((c) => c.rule === 'approval.overdue')!
      expect(overdue.at).toBe(page.clock!.due)
      expect(overdue.causes).toEqual(['a2', 'a3'])
      expect(page.cards.map((c) => c.rule).sort()).toEqual(['approval.due_soon', 'approval.overdue'])
      expect(page.threads).toHaveLength(1)
      expect(page.threads[0]!.history.length).toBeGreaterThan(0)
      expect(page.events.map((e) => e.event.type)).toEqual(['submitted', 'accepted', 'suspended', 'resumed'])
      expect(JSON.stringify(page)).not.toContain('13800001111')
    })

    it('is role-scoped: another department and an unknown case answer the same 404; nobody signed in, 401', async () => {
      const other = await call('health-desk', 'GET', '/api/v1/cases/approval/A-9')
      const unknown = await call('health-desk', 'GET', '/api/v1/cases/approval/A-404')
      expect([other.status, unknown.status]).toEqual([404, 404])
      expect(other.json).toEqual(unknown.json)
      expect((await call(null, 'GET', '/api/v1/cases/approval/A-9')).status).toBe(401)
      const leader = await call('li', 'GET', '/api/v1/cases/approval/A-9')
      expect(leader.json).toMatchObject({ canIssueCode: false, canUnmask: false })
      expect((await call('sun', 'GET', '/api/v1/cases/approval/A-9')).json).toMatchObject({ canUnmask: true })
    })
  })

  describe('check codes and the public lookup', () => {
    let code = ''
    it('is issued by the case\'s department only, audited without the code', async () => {
      expect((await call('health-desk', 'POST', '/api/v1/cases/approval/A-9/check-code', {})).status).toBe(404)
      expect((await call('li', 'POST', '/api/v1/cases/approval/A-9/check-code', {})).status).toBe(403)
      const r = await call('market-desk', 'POST', '/api/v1/cases/approval/A-9/check-code', {})
      expect(r.status).toBe(201)
      code = r.json.code
      expect(code).toMatch(/^[2-9A-Z]{8}$/)
      const audit = await db.query<{ actor: string; detail: unknown }>("SELECT actor, detail FROM audit_log WHERE action = 'case.check_code_issued'")
      expect(audit.rows).toHaveLength(1)
      expect(JSON.stringify(audit.rows)).not.toContain(code)
      expect((await call('market-desk', 'GET', '/api/v1/cases/approval/A-9')).json.checkCode).toMatchObject({ issuedBy: 'market-desk' })
    })

    it('opens stages and dates with the right code, with no session; a wrong code answers as an unknown case', async () => {
      const r = await call(null, 'GET', `/api/v1/public/cases/A-9?code=${code.toLowerCase()}`, undefined, '10.0.0.1')
      expect(r.status).toBe(200)
      expect(r.json as PublicCaseProgress).toEqual({
        caseId: 'A-9', kind: 'approval', finished: false,
        stages: [{ stage: 'submitted', date: '2026-09-27' }, { stage: 'accepted', date: '2026-09-28' }, { stage: 'suspended', date: '2026-10-09' }, { stage: 'resumed', date: '2026-10-09' }],
      })
      const wrong = await call(null, 'GET', '/api/v1/public/cases/A-9?code=ZZZZZZZZ', undefined, '10.0.0.1')
      const unknown = await call(null, 'GET', `/api/v1/public/cases/A-404?code=${code}`, undefined, '10.0.0.1')
      expect([wrong.status, unknown.status]).toEqual([404, 404])
      expect(wrong.json).toEqual(unknown.json)
      expect((await call(null, 'GET', '/api/v1/public/cases/A-9', undefined, '10.0.0.1')).status).toBe(400)
    })

    it('limits wrong codes per address, then per case, even for the right code', async () => {
      for (let i = 0; i < 8; i++) expect((await call(null, 'GET', '/api/v1/public/cases/A-9?code=ZZZZZZZZ', undefined, '10.0.0.1')).status).toBe(404)
      const limited = await call(null, 'GET', `/api/v1/public/cases/A-9?code=${code}`, undefined, '10.0.0.1')
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await call(null, 'GET', `/api/v1/public/cases/A-9?code=${code}`, undefined, '10.0.0.2')).status).toBe(200)
      // 9 wrong so far on A-9 (and one on A-404 from 10.0.0.1); 11 more from other addresses use up the case's 20.
      for (let i = 0; i < 11; i++) await call(null, 'GET', '/api/v1/public/cases/A-9?code=ZZZZZZZZ', undefined, `10.0.1.${i}`)
      expect((await call(null, 'GET', `/api/v1/public/cases/A-9?code=${code}`, undefined, '10.0.0.3')).status).toBe(429)
      // Another case is not limited by A-9's tries.
      expect((await call(null, 'GET', '/api/v1/public/cases/A-8?code=ZZZZZZZZ', undefined, '10.0.0.3')).status).toBe(404)
    })
  })

  describe('complaints, performance and departments', () => {
    it('files a complaint through the collector as a petition of source public, followed with its own code', async () => {
      const bad = await call(null, 'POST', '/api/v1/public/complaints', { dept: 'nowhere', subject: '乱收费', details: '多收费' }, '10.0.2.1')
      expect(bad).toMatchObject({ status: 400, json: { field: 'dept' } })
      const r = await call(null, 'POST', '/api/v1/public/complaints', { dept: 'market', subject: '窗口乱收费', details: '办理许可时被多收材料费，电话 13900002222', name: '张三', phone: '13900002222' }, '10.0.2.1')
      expect(r.status).toBe(201)
      const receipt = r.json as ComplaintReceipt
      expect(receipt.trackingNumber).toMatch(/^TS20261012-[2-9A-Z]{6}$/)
      const stored = await waitFor(async () => (await db.query<{ source: string; dept: string }>('SELECT source, dept FROM events WHERE case_id = $1', [receipt.trackingNumber])).rows[0], 'the petition stored')
      expect(stored).toEqual({ source: 'public', dept: 'market' })
      const page = await call('wang', 'GET', `/api/v1/cases/petition/${receipt.trackingNumber}`)
      expect(page.status).toBe(200)
      expect(JSON.stringify(page.json)).not.toMatch(/张三|13900002222/)
      expect(page.json.events[0].event.attrs).toMatchObject({ subject: '窗口乱收费', channel: 'public' })
      const progress = await call(null, 'GET', `/api/v1/public/cases/${receipt.trackingNumber}?code=${receipt.checkCode}`, undefined, '10.0.2.1')
      expect(progress.json).toMatchObject({ kind: 'petition', stages: [{ stage: 'registered', date: '2026-10-12' }] })
    })

    it('limits complaints per address', async () => {
      const form = { dept: 'health', subject: '排队太久', details: '等了三个小时' }
      for (let i = 0; i < 5; i++) expect((await call(null, 'POST', '/api/v1/public/complaints', form, '10.0.3.1')).status).toBe(201)
      expect((await call(null, 'POST', '/api/v1/public/complaints', form, '10.0.3.1')).status).toBe(429)
    })

    it('answers the performance with no frozen period yet, and the departments for the form, with no session', async () => {
      expect(await call(null, 'GET', '/api/v1/public/performance')).toMatchObject({ status: 200, json: { period: null, departments: [] } })
      expect((await call(null, 'GET', '/api/v1/public/depts')).json).toEqual({
        market: { 'zh-CN': '市场监管局', en: 'Market Regulation Bureau' }, health: { 'zh-CN': '卫健委', en: 'Health Commission' },
      })
      expect((await call(null, 'DELETE', '/api/v1/public/performance')).status).toBe(405)
    })
  })
})
