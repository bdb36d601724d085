/**
 * The console API on the whole platform: a card raised through the collector and the
 * rules engine becomes a thread that the department acknowledges and rectifies (with
 * an attachment) and the inspector returns and approves, over HTTP with real sessions.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAudit } from '../../common/audit/index.ts'
import { startPlatform, type Platform } from '../../bin/platform.ts'
import { loadConfig } from '../../common/config/index.ts'
import type { CaseEvent } from '../../common/contract/index.ts'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { logger } from '../../common/log/index.ts'
import { ManualClock, post, startTestServer, TOKEN, waitFor } from '../../test-support/platform.ts'
import { createUser } from '../../accounts/index.ts'

const PW = 'a long enough password'
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
const TEXT = '已补办审批登记手续并完成整改'

describe.each(openTestDbs())('the console API on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  const dataDir = mkdtempSync(join(tmpdir(), 'console-it-'))
  const clock = new ManualClock(Date.parse('2026-11-24T10:00:00+08:00'))
  const cookie: Record<string, string> = {}
  let thread = 0

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('console')
    const cfg = loadConfig({
      env: {},
      overrides: {
        dataDir, natsUrl: nats.url, collectorPort: 0, dashboardPort: 0, alertsPort: 0, rulesPort: 0, tickMs: 50, settleMs: 100,
        sources: [{ name: 'hall', token: TOKEN }], smsProvider: 'console', logLevel: 'warn',
      },
    })
    platform = await startPlatform(cfg, new Set(['collector', 'rules', 'alerts', 'dashboard']), logger('test'), { db, clock })
    for (const u of [
      { username: 'wang', role: 'inspector' }, { username: 'li', role: 'leader' },
      { username: 'market-desk', role: 'department', dept: 'market' }, { username: 'health-desk', role: 'department', dept: 'health' },
    ]) {
      await createUser(db, { ...u, password: PW })
      cookie[u.username] = await signIn(u.username)
    }
  })

  afterAll(async () => {
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** signIn posts the password and keeps the session cookie, as a browser would. */
  async function signIn(username: string): Promise<string> {
    const r = await fetch(`${platform.dashboardUrl}/api/v1/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PW }),
    })
    expect(r.status).toBe(200)
    return r.headers.get('set-cookie')!.split(';')[0]!
  }

  async function call(who: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> {
    const form = body instanceof FormData
    const r = await fetch(`${platform.dashboardUrl}${path}`, {
      method,
      headers: { cookie: cookie[who]!, ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    })
    return { status: r.status, json: (await r.json()) as Record<string, any> }
  }

  function files(text: string, name: string, bytes: Uint8Array): FormData {
    const f = new FormData()
    f.append('text', text)
    f.append('attachments', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name)
    return f
  }

  it('raises a card for department market and shows its thread to market only', async () => {
    const completed: CaseEvent = { id: 'c1', source: 'hall', kind: 'approval', type: 'completed', caseId: 'A-77', dept: 'market', at: '2026-11-24T09:00:00+08:00' }
    expect((await post(platform, completed)).status).toBeLessThan(300)
    const list = await waitFor(async () => {
      const r = await call('market-desk', 'GET', '/api/v1/threads')
      return r.json.threads?.length ? r.json.threads : null
    }, 'the thread on the department console')
    expect(list).toMatchObject([{ caseId: 'A-77', dept: 'market', level: 'red', open: true }])
    thread = list[0].id as number
    expect(await call('health-desk', 'GET', '/api/v1/threads')).toMatchObject({ status: 200, json: { threads: [] } })
    expect((await call('health-desk', 'GET', `/api/v1/threads/${thread}`)).status).toBe(404)
    expect((await call('health-desk', 'POST', `/api/v1/threads/${thread}/acknowledge`, {})).status).toBe(404)
  })

  it('refuses every write of a leader with 403', async () => {
    const writes: Array<[string, string, unknown]> = [
      ['POST', `/api/v1/threads/${thread}/acknowledge`, {}],
      ['POST', `/api/v1/threads/${thread}/rectifications`, { text: TEXT }],
      ['POST', `/api/v1/threads/${thread}/approve`, {}],
      ['POST', `/api/v1/threads/${thread}/return`, { comment: '不行' }],
      ['POST', '/api/v1/silences', { dept: 'market', endsAt: '2026-11-25T10:00:00+08:00', reason: '系统维护' }],
      ['DELETE', '/api/v1/silences/1', { reason: '维护结束' }],
      ['PUT', '/api/v1/contacts/market/duty', { name: '值班员', phone: '+8613800001111' }],
      ['POST', '/api/v1/flags', { kind: 'approval', caseId: 'A-77', reason: '领导巡检' }],
    ]
    for (const [method, path, body] of writes) expect([path, (await call('li', method, path, body)).status]).toEqual([path, 403])
    expect((await call('li', 'GET', `/api/v1/threads/${thread}`)).json.thread.state).toMatch(/raised|notified/)
  })

  it('goes round the loop: acknowledge, rectify with a PNG, return, resubmit, approve', async () => {
    const base = `/api/v1/threads/${thread}`
    const ack = (await call('market-desk', 'POST', `${base}/acknowledge`, { comment: '已收到，立即整改' })).json.thread
    expect(ack.state).toBe('acknowledged')
    // acknowledged Tuesday 10:00: five working days of 8 office hours later, the next Tuesday 10:00
    expect(Date.parse(ack.rectificationDueAt)).toBe(Date.parse('2026-12-01T10:00:00+08:00'))

    expect(await call('market-desk', 'POST', `${base}/rectifications`, files(TEXT, 'setup.exe', Uint8Array.from([0x4d, 0x5a, 0x90, 0])))).toMatchObject({
      status: 415, json: { file: 'setup.exe' },
    })
    expect(await call('market-desk', 'POST', `${base}/rectifications`, files(TEXT, 'photo.png', Uint8Array.from([0x25, 0x21, 0x50, 0x53])))).toMatchObject({
      status: 415, json: { file: 'photo.png' },
    })
    const big = new Uint8Array(10 * 1024 * 1024 + 1)
    big.set(PNG)
    expect(await call('market-desk', 'POST', `${base}/rectifications`, files(TEXT, 'scan.png', big))).toMatchObject({ status: 413, json: { file: 'scan.png' } })

    const first = await call('market-desk', 'POST', `${base}/rectifications`, files(TEXT, '回执.png', PNG))
    expect(first).toMatchObject({ status: 201, json: { thread: { state: 'rectification_submitted' } } })
    expect((await call('market-desk', 'POST', `${base}/approve`, {})).status).toBe(403)
    expect(await call('wang', 'POST', `${base}/return`, {})).toMatchObject({ status: 400, json: { field: 'comment' } })
    expect((await call('wang', 'POST', `${base}/return`, { comment: '缺少盖章页' })).json.thread.state).toBe('returned')
    expect((await call('market-desk', 'POST', `${base}/rectifications`, { text: `${TEXT}，已补盖章页`, comment: '补交' })).status).toBe(201)
    const done = await call('wang', 'POST', `${base}/approve`, { comment: '整改到位' })
    expect(done.json.thread).toMatchObject({ state: 'approved', open: false })

    const got = (await call('market-desk', 'GET', base)).json
    expect(got.rectifications.map((r: { attachments: unknown[] }) => r.attachments.length)).toEqual([1, 0])
    expect(got.rectifications[0].attachments[0]).toMatchObject({ name: '回执.png', type: 'image/png', size: PNG.length })
    const humans = (got.history as Array<{ action: string; actor: { name: string; role: string }; why: string }>).filter((h) => h.actor.role !== 'system')
    expect(humans.map((h) => [h.action, h.actor.name, h.why])).toEqual([
      ['acknowledge', 'market-desk', '已收到，立即整改'],
      ['submit_rectification', 'market-desk', '提交整改'],
      ['return', 'wang', '缺少盖章页'],
      ['submit_rectification', 'market-desk', '补交'],
      ['approve', 'wang', '整改到位'],
    ])
    expect(got.history[0]).toMatchObject({ action: 'open', actor: { name: 'rules' } })
  })

  it('records the sign-ins and every transition in an intact audit trail', async () => {
    const actions = (await db.query<{ action: string; actor: string }>('SELECT action, actor FROM audit_log ORDER BY seq')).rows
    expect(actions.filter((a) => a.action === 'user.login')).toHaveLength(4)
    expect(actions.filter((a) => a.actor === 'department:market-desk').map((a) => a.action)).toEqual([
      'alert.acknowledged', 'alert.rectification_submitted', 'alert.rectification_submitted',
    ])
    expect(actions.filter((a) => a.actor === 'inspector:wang').map((a) => a.action)).toEqual(['alert.returned', 'alert.approved'])
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })
})
