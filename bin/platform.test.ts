import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { verifyAudit } from '../common/audit/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { asHall, ManualClock, post, signInAs, startTestPlatform, startTestServer, waitFor } from '../test-support/platform.ts'
import type { Platform } from './platform.ts'

const examples = fileURLToPath(new URL('../common/contract/examples/', import.meta.url))
const read = (name: string): CaseEvent[] =>
  asHall(readFileSync(`${examples}${name}`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CaseEvent))
const expected = (name: string) =>
  readFileSync(`${examples}${name}`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { rule: string; caseId: string; at: string })

describe.each(openTestDbs())('platform on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  let socket: Socket
  const live: Array<{ key: string; rule: string; caseId: string }> = []
  // The clock only moves forward, as time does: after the national-day example, before the quiet case.
  const clock = new ManualClock(Date.parse('2026-10-20T00:00:00+08:00'))

  const count = async (sql: string) => Number((await db.query<{ n: number }>(sql)).rows[0]!.n)

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('platform')
    platform = await startTestPlatform(db, nats, clock)
    socket = io(platform.dashboardUrl!, { transports: ['websocket'], extraHeaders: { cookie: await signInAs(platform, db) } })
    socket.on('alert', (a: { key: string; rule: string; caseId: string }) => live.push(a))
    await waitFor(() => socket.connected, 'socket connected')
  })

  afterAll(async () => {
    socket?.close()
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
  })

  it('turns posted events into stored cards, pushed live to browsers', async () => {
    const events = read('national-day.jsonl')
    const r = await post(platform, events)
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ accepted: events.length, duplicate: 0, rejected: 0 })
    const want = expected('national-day.expected.jsonl')
    await waitFor(async () => (await count('SELECT count(*) AS n FROM alerts')) === want.length, 'all cards stored')
    const rows = await db.query<{ rule: string; case_id: string; at: Date }>('SELECT rule, case_id, at FROM alerts ORDER BY at, rule, case_id')
    expect(rows.rows.map((x) => [x.rule, x.case_id, x.at.getTime()])).toEqual(want.map((w) => [w.rule, w.caseId, Date.parse(w.at)]))
    await waitFor(() => live.length === want.length, 'cards on the socket')
    expect(new Set(live.map((a) => `${a.rule}/${a.caseId}`))).toEqual(new Set(want.map((w) => `${w.rule}/${w.caseId}`)))
    expect(await count('SELECT count(*) AS n FROM events')).toBe(events.length)
    // Each case card opened or upgraded a supervision thread, and every change is in the audit trail.
    const threads = await db.query<{ case_id: string; level: string; n: number }>('SELECT case_id, level, jsonb_array_length(to_jsonb(alert_keys)) AS n FROM alert_threads ORDER BY case_id')
    expect(threads.rows.find((t) => t.case_id === 'A-0001')).toMatchObject({ level: 'red', n: 2 }) // the red upgraded the yellow
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action IN ('alert.raised', 'alert.upgraded')")).toBeGreaterThanOrEqual(6)
  })

  it('stores nothing twice when the same events are sent again', async () => {
    const events = read('national-day.jsonl')
    const r = await post(platform, events.map((e) => JSON.stringify(e)).join('\n'), 'application/x-ndjson')
    expect(r.json).toMatchObject({ accepted: 0, duplicate: events.length })
    await new Promise((res) => setTimeout(res, 500))
    expect(await count('SELECT count(*) AS n FROM events')).toBe(events.length)
    expect(await count('SELECT count(*) AS n FROM alerts')).toBe(6)
    expect(live).toHaveLength(6)
  })

  it('answers a malformed batch per event and stores the valid ones', async () => {
    const good = read('petitions.jsonl')
    const body = [
      JSON.stringify(good[0]),
      '{"id": "broken", ',
      JSON.stringify({ ...good[1], id: 'no-kind', kind: undefined }),
      JSON.stringify({ ...good[2], id: 'bad-days', attrs: { days: 99 } }),
      JSON.stringify({ ...good[3], source: 'somebody-else' }),
      JSON.stringify(good[4]),
    ].join('\n')
    const r = await post(platform, body, 'application/x-ndjson')
    expect(r.status).toBe(200)
    const results = r.json.results as Array<{ status: string; error?: { field: string } }>
    expect(results.map((x) => x.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'accepted'])
    expect(results.map((x) => x.error?.field)).toEqual([undefined, '(event)', 'kind', 'attrs.days', 'source', undefined])
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM events WHERE id IN ('${good[0]!.id}', '${good[4]!.id}')`)) === 2, 'valid events stored')
    expect(await count("SELECT count(*) AS n FROM events WHERE id IN ('no-kind', 'bad-days')")).toBe(0)
  })

  it('refuses a request without a known token', async () => {
    const res = await fetch(`${platform.collectorUrl}/api/v1/events`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: string }).error).toMatch(/bearer token/)
  })

  it('raises calendar.uncovered once for the whole platform when a deadline reaches an uncovered year', async () => {
    const late = (id: string, caseId: string): CaseEvent => ({
      id, source: 'hall', kind: 'approval', type: 'accepted', caseId, dept: 'tax', at: '2026-10-19T10:00:00+08:00',
      attrs: { itemCode: 'TAX-1', itemName: '税务登记', promisedDays: 60, legalDays: 60 },
    })
    await post(platform, [late('unc-1', 'U-1'), late('unc-2', 'U-2')])
    await waitFor(async () => (await count("SELECT count(*) AS n FROM alerts WHERE rule = 'calendar.uncovered'")) === 1, 'uncovered card')
    const row = (await db.query<{ case_id: string; dept: string; level: string }>("SELECT case_id, dept, level FROM alerts WHERE rule = 'calendar.uncovered'")).rows[0]
    expect(row).toEqual({ case_id: 'calendar-2027', dept: 'platform', level: 'yellow' })
  })

  it('turns an untouched case red at its due instant, also after a restart', async () => {
    clock.set('2026-11-02T12:00:00+08:00')
    const accepted: CaseEvent = {
      id: 'quiet-1', source: 'hall', kind: 'approval', type: 'accepted', caseId: 'Q-1', dept: 'tax', at: '2026-11-02T10:00:00+08:00',
      attrs: { itemCode: 'TAX-1', itemName: '税务登记', promisedDays: 3, legalDays: 20 },
    }
    expect((await post(platform, accepted)).json).toMatchObject({ accepted: 1 })
    await waitFor(async () => (await count("SELECT count(*) AS n FROM cases WHERE case_id = 'Q-1' AND open")) === 1, 'case stored as open').catch(async (e) => { console.log(JSON.stringify((await db.query("SELECT * FROM cases WHERE case_id = 'Q-1'")).rows), JSON.stringify((await db.query("SELECT id FROM events WHERE case_id = 'Q-1'")).rows)); throw e })
    // restart everything but the database and the bus: the pending deadline must survive
    await platform.stop()
    platform = await startTestPlatform(db, nats, clock)
    clock.set('2026-11-05T23:59:59+08:00')
    await new Promise((res) => setTimeout(res, 300))
    expect(await count("SELECT count(*) AS n FROM alerts WHERE case_id = 'Q-1' AND rule = 'approval.overdue'")).toBe(0)
    clock.set('2026-11-06T00:00:01+08:00')
    await waitFor(async () => (await count("SELECT count(*) AS n FROM alerts WHERE case_id = 'Q-1' AND rule = 'approval.overdue'")) === 1, 'red card at due')
    const at = (await db.query<{ at: Date }>("SELECT at FROM alerts WHERE case_id = 'Q-1' AND rule = 'approval.overdue'")).rows[0]!.at
    expect(at.toISOString()).toBe(new Date('2026-11-06T00:00:00+08:00').toISOString())
  })
})
