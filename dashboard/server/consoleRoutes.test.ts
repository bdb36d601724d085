import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAudit } from '../../common/audit/index.ts'
import { auditTransition, ThreadStore } from '../../alerts/index.ts'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { createUser, Sessions } from '../../accounts/index.ts'
import { auditWriter, consoleRoutes } from './consoleRoutes.ts'
import { sendJson } from '../../common/http/index.ts'

const PW = 'the right password'
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])
const TEXT = '已补齐材料并完成整改，附件为回执'

describe.each(openTestDbs())('console routes on $name', ({ open }) => {
  let db: Db
  let server: Server
  let base = ''
  const dir = mkdtempSync(join(tmpdir(), 'console-routes-'))
  const cookies: Record<string, string> = {}
  const clock = { t: Date.parse('2026-03-02T02:00:00Z'), now: () => clock.t }
  let health = 0
  let transport = 0

  beforeAll(async () => {
    db = await open()
    const threads = new ThreadStore({ db, clock, onTransition: auditTransition })
    const sessions = new Sessions(db)
    const handle = consoleRoutes({
      db, threads, sessions, attachmentsDir: dir, audit: auditWriter(db, clock.now), now: clock.now, limits: { maxBytes: 1024, maxFiles: 2 },
    })
    server = createServer((req, res) => void handle(req, res).then((done) => done || sendJson(res, 404, { error: 'no route' })))
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const users = [
      { username: 'wang', role: 'inspector' }, { username: 'li', role: 'leader' }, { username: 'root', role: 'admin' },
      { username: 'health-desk', role: 'department', dept: 'health' }, { username: 'road-desk', role: 'department', dept: 'transport' },
    ]
    for (const u of users) {
      await createUser(db, { ...u, password: PW })
      const r = await sessions.login(u.username, PW, '127.0.0.1')
      if (!r.ok) throw new Error(`sign-in of ${u.username} failed`)
      cookies[u.username] = `jiancha_session=${r.token}`
    }
    const openThread = (caseId: string, dept: string) =>
      db.transaction(async (tx) => (await threads.openOrUpgrade(tx, {
        key: `approval.overdue:red:approval:${caseId}`, rule: 'approval.overdue', level: 'red', kind: 'approval', caseId, dept,
        at: '2026-03-02T01:00:00Z', causes: ['e1'], settingsVersion: 't',
      }, clock.now()))!.thread.id)
    health = await openThread('A-1', 'health')
    transport = await openThread('A-2', 'transport')
  })
  afterAll(async () => {
    await new Promise<void>((ok) => server?.close(() => ok()))
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const call = async (who: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const form = body instanceof FormData
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { ...(who ? { cookie: cookies[who]! } : {}), ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    })
    const json = r.headers.get('content-type')?.includes('json') ? ((await r.json()) as Record<string, any>) : {}
    return { status: r.status, json, headers: r.headers }
  }
  const upload = (text: string, ...files: Array<[string, Uint8Array]>) => {
    const f = new FormData()
    f.append('text', text)
    for (const [name, bytes] of files) f.append('attachments', new Blob([new Uint8Array(bytes)]), name)
    return f
  }

  it('answers 401 without a session', async () => {
    expect((await call(null, 'GET', '/api/v1/threads')).status).toBe(401)
  })

  it('lists threads within the reader\'s scope and names a bad filter', async () => {
    expect((await call('wang', 'GET', '/api/v1/threads')).json.threads.map((t: { id: number }) => t.id).sort()).toEqual([health, transport].sort())
    expect((await call('health-desk', 'GET', '/api/v1/threads')).json.threads.map((t: { id: number }) => t.id)).toEqual([health])
    expect(await call('health-desk', 'GET', '/api/v1/threads?dept=transport')).toMatchObject({ status: 403, json: { field: 'dept' } })
    expect(await call('wang', 'GET', '/api/v1/threads?state=lost')).toMatchObject({ status: 400, json: { field: 'state' } })
    expect(await call('wang', 'GET', '/api/v1/threads?limit=0')).toMatchObject({ status: 400, json: { field: 'limit' } })
    expect((await call('li', 'GET', '/api/v1/threads?dept=transport&state=raised,notified&level=red')).json.threads).toHaveLength(1)
  })

  it('answers another department\'s thread exactly like a missing one', async () => {
    const other = await call('health-desk', 'GET', `/api/v1/threads/${transport}`)
    expect(other).toMatchObject({ status: 404, json: { error: 'no such thread' } })
    expect((await call('health-desk', 'GET', '/api/v1/threads/999999')).json).toEqual(other.json)
    expect((await call('health-desk', 'GET', '/api/v1/threads/x1')).json).toEqual(other.json)
    expect((await call('road-desk', 'POST', `/api/v1/threads/${health}/acknowledge`, {})).status).toBe(404)
  })

  it('lets only the thread\'s department acknowledge, once', async () => {
    expect((await call('li', 'POST', `/api/v1/threads/${health}/acknowledge`, {})).status).toBe(403)
    expect((await call('wang', 'POST', `/api/v1/threads/${health}/acknowledge`, {})).status).toBe(403)
    const r = await call('health-desk', 'POST', `/api/v1/threads/${health}/acknowledge`, { comment: '已收到' })
    expect(r).toMatchObject({ status: 200, json: { thread: { state: 'acknowledged' }, transition: { why: '已收到', actor: { name: 'health-desk', dept: 'health' } } } })
    expect(await call('health-desk', 'POST', `/api/v1/threads/${health}/acknowledge`, {})).toMatchObject({ status: 409, json: { refused: 'wrong_state' } })
    expect((await call('health-desk', 'POST', `/api/v1/threads/${health}/acknowledge`, 'x', { 'content-type': 'text/plain' })).status).toBe(415)
  })

  it('refuses a rectification naming the field or the file', async () => {
    const path = `/api/v1/threads/${health}/rectifications`
    expect(await call('health-desk', 'POST', path, {})).toMatchObject({ status: 400, json: { field: 'text' } })
    expect(await call('health-desk', 'POST', path, { text: '太短' })).toMatchObject({ status: 400, json: { field: 'text', refused: 'missing_text' } })
    expect(await call('health-desk', 'POST', path, upload(TEXT, ['setup.exe', Uint8Array.from([0x4d, 0x5a, 0, 0])]))).toMatchObject({
      status: 415, json: { file: 'setup.exe', field: 'attachments' },
    })
    const big = new Uint8Array(1025)
    big.set(PNG)
    expect(await call('health-desk', 'POST', path, upload(TEXT, ['big.png', big]))).toMatchObject({ status: 413, json: { file: 'big.png' } })
    expect(await call('health-desk', 'POST', path, upload(TEXT, ['a.png', PNG], ['b.png', PNG], ['c.png', PNG]))).toMatchObject({ status: 400, json: { field: 'attachments' } })
    expect((await call('health-desk', 'POST', path, upload(TEXT, ['a.png', PNG]), { origin: 'https://evil.example' })).status).toBe(403)
    expect((await call('li', 'POST', path, { text: TEXT })).status).toBe(403)
    expect((await call('health-desk', 'GET', `/api/v1/threads/${health}`)).json.rectifications).toEqual([])
  })

  it('stores a rectification with its attachment, then the inspector returns and approves it', async () => {
    const r = await call('health-desk', 'POST', `/api/v1/threads/${health}/rectifications`, upload(TEXT, ['../回执.png', PNG]))
    expect(r).toMatchObject({ status: 201, json: { thread: { state: 'rectification_submitted' } } })
    const got = (await call('health-desk', 'GET', `/api/v1/threads/${health}`)).json
    const file = got.rectifications[0].attachments[0]
    expect(file).toMatchObject({ name: '回执.png', type: 'image/png', size: PNG.length })
    const dl = await fetch(`${base}${file.url}`, { headers: { cookie: cookies['health-desk']! } })
    expect(dl.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await dl.arrayBuffer())).toEqual(PNG)
    expect((await fetch(`${base}${file.url}`, { headers: { cookie: cookies['road-desk']! } })).status).toBe(404)

    expect((await call('health-desk', 'POST', `/api/v1/threads/${health}/approve`, {})).status).toBe(403)
    expect(await call('wang', 'POST', `/api/v1/threads/${health}/return`, {})).toMatchObject({ status: 400, json: { field: 'comment' } })
    expect((await call('wang', 'POST', `/api/v1/threads/${health}/return`, { comment: '缺少盖章' })).json.thread.state).toBe('returned')
    expect((await call('health-desk', 'POST', `/api/v1/threads/${health}/rectifications`, { text: `${TEXT}（补盖章）` })).status).toBe(201)
    expect((await call('wang', 'POST', `/api/v1/threads/${health}/approve`, {})).json.thread).toMatchObject({ state: 'approved', open: false })
    const history = (await call('li', 'GET', `/api/v1/threads/${health}`)).json.history as Array<{ action: string; why: string; actor: { name: string } }>
    expect(history.map((h) => [h.action, h.actor.name, h.why])).toEqual([
      ['open', 'rules', '红牌：审批超期'], ['acknowledge', 'health-desk', '已收到'], ['submit_rectification', 'health-desk', '提交整改'],
      ['return', 'wang', '缺少盖章'], ['submit_rectification', 'health-desk', '提交整改'], ['approve', 'wang', '审核通过'],
    ])
  })

  it('keeps silences to inspectors and admins, with a reason', async () => {
    expect((await call('li', 'GET', '/api/v1/silences')).status).toBe(403)
    expect((await call('li', 'POST', '/api/v1/silences', { dept: 'health', endsAt: '2026-03-03T00:00:00Z', reason: '系统维护' })).status).toBe(403)
    expect(await call('wang', 'POST', '/api/v1/silences', { dept: 'health', endsAt: '2026-03-03T00:00:00Z' })).toMatchObject({ status: 400, json: { field: 'reason' } })
    expect(await call('wang', 'POST', '/api/v1/silences', { dept: 'health', endsAt: 'tomorrow', reason: '系统维护' })).toMatchObject({ status: 400, json: { field: 'endsAt' } })
    const made = await call('wang', 'POST', '/api/v1/silences', { dept: 'health', endsAt: '2026-03-03T00:00:00Z', reason: '系统维护' })
    expect(made).toMatchObject({ status: 201, json: { silence: { dept: 'health', createdBy: 'wang', reason: '系统维护' } } })
    expect((await call('root', 'GET', '/api/v1/silences')).json.silences).toHaveLength(1)
    const id = made.json.silence.id as string
    expect((await call('li', 'DELETE', `/api/v1/silences/${id}`, { reason: '维护结束' })).status).toBe(403)
    expect(await call('wang', 'DELETE', `/api/v1/silences/${id}`, {})).toMatchObject({ status: 400, json: { field: 'reason' } })
    clock.t += 60_000
    expect(await call('root', 'DELETE', `/api/v1/silences/${id}`, { reason: '维护结束' })).toMatchObject({ status: 200, json: { status: 'expired' } })
    expect((await call('wang', 'DELETE', `/api/v1/silences/${id}`, { reason: '维护结束' })).status).toBe(404)
    const audited = await db.query<{ actor: string; subject: string }>("SELECT actor, subject FROM audit_log WHERE action = 'silence.created'")
    expect(audited.rows).toEqual([{ actor: 'wang', subject: `silence:${id}` }])
  })

  it('keeps contacts to admins and names a bad field', async () => {
    expect((await call('wang', 'PUT', '/api/v1/contacts/health/duty', { name: '值班员', phone: '+8613800001111' })).status).toBe(403)
    expect(await call('root', 'PUT', '/api/v1/contacts/health/duty', { name: '值班员', phone: '12345' })).toMatchObject({ status: 400, json: { field: 'phone' } })
    expect(await call('root', 'PUT', '/api/v1/contacts/health/boss', { name: '值班员', phone: '+8613800001111' })).toMatchObject({ status: 400, json: { field: 'role' } })
    expect((await call('root', 'PUT', '/api/v1/contacts/health/duty', { name: '值班员', phone: '+86 138-0000-1111' })).json).toEqual({
      dept: 'health', role: 'duty', name: '值班员', phone: '+8613800001111',
    })
    expect((await call('root', 'GET', '/api/v1/contacts/health/duty')).json).toMatchObject({ phone: '+8613800001111' })
    expect((await call('root', 'GET', '/api/v1/contacts/health/head')).status).toBe(404)
    expect((await call('li', 'GET', '/api/v1/contacts')).status).toBe(403)
    expect((await call('root', 'GET', '/api/v1/contacts')).json.contacts).toHaveLength(1)
  })

  it('leaves the audit trail intact', async () => {
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })
})
