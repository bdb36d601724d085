import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AttachmentStore } from '../../../alerts/index.ts'
import { testThreads } from '../../../alerts/testing.ts'
import { verifyAudit } from '../../../common/audit/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { type RouteServer, startRouteServer } from '../testdata/routeServer.ts'
import { threadRoutes } from './threadRoutes.ts'

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])
const TEXT = '已补齐材料并完成整改，附件为回执'

describe.each(openTestDbs())('thread routes on $name', ({ open }) => {
  let db: Db
  let srv: RouteServer
  const dir = mkdtempSync(join(tmpdir(), 'thread-routes-'))
  const clock = { t: Date.parse('2026-03-02T02:00:00Z'), now: () => clock.t }
  let health = 0
  let transport = 0

  beforeAll(async () => {
    db = await open()
    const threads = testThreads(db, clock)
    srv = await startRouteServer(db, (sessions) => threadRoutes({
      threads, sessions, attachments: new AttachmentStore(dir, { maxBytes: 1024, maxFiles: 2 }), now: clock.now, format: (t) => new Date(t).toISOString(), log: () => {},
    }))
    const openThread = (caseId: string, dept: string) =>
      db.transaction(async (tx) => (await threads.openOrUpgrade(tx, {
        key: `approval.overdue:red:approval:${caseId}`, rule: 'approval.overdue', level: 'red', kind: 'approval', caseId, dept,
        at: '2026-03-02T01:00:00Z', causes: ['e1'], settingsVersion: 't',
      }, clock.now()))!.thread.id)
    health = await openThread('A-1', 'health')
    transport = await openThread('A-2', 'transport')
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const call = (...a: Parameters<RouteServer['call']>) => srv.call(...a)
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
    const dl = await fetch(`${srv.base}${file.url}`, { headers: { cookie: srv.cookies['health-desk']! } })
    expect(dl.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await dl.arrayBuffer())).toEqual(PNG)
    expect((await fetch(`${srv.base}${file.url}`, { headers: { cookie: srv.cookies['road-desk']! } })).status).toBe(404)

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

  it('leaves the audit trail intact', async () => {
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })
})
