import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import type { Platform } from '../bin/platform.ts'
import { INSPECTOR, INSPECTOR_TOKEN, ManualClock, post, signInAs, startTestPlatform, startTestServer, TOKEN, waitFor } from '../test-support/platform.ts'

const events: CaseEvent[] = [
  {
    id: 'flag-e1', source: 'hall', kind: 'supervision', type: 'assigned', caseId: 'S-FLAG-1', dept: 'transport', at: '2026-10-12T09:00:00+08:00',
    attrs: { title: '老旧小区改造', dueAt: '2026-12-15T18:00:00+08:00' },
  },
  { id: 'flag-e2', source: 'hall', kind: 'supervision', type: 'progress', caseId: 'S-FLAG-1', dept: 'transport', at: '2026-10-19T09:00:00+08:00', attrs: { percent: 5 } },
  {
    id: 'flag-e3', source: 'hall', kind: 'supervision', type: 'assigned', caseId: 'S-FLAG-2', dept: 'transport', at: '2026-10-12T09:00:00+08:00',
    attrs: { title: '背街小巷整治', dueAt: '2026-12-15T18:00:00+08:00' },
  },
]
// The hardest reason the validator passes: 500 characters, astral ones, quotes, a backslash, controls other than NUL.
const HARD_REASON = `"整改"\\😀\n\t\u0001\u2028${'😀久'.repeat(244)}末尾`
const KEY = 'inspection.flag:yellow:supervision:S-FLAG-1'

describe.each(openTestDbs())('inspection.flag on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  const clock = new ManualClock(Date.parse('2026-10-20T10:00:00+08:00'))

  const flag = async (body: unknown, token: string | null = INSPECTOR_TOKEN) => {
    const res = await fetch(`${platform.dashboardUrl}/api/v1/flags`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }
  const flagRows = () =>
    db.query<{ key: string; rule: string; level: string; dept: string; at: Date; causes: string[]; note: unknown; status: string }>(
      "SELECT key, rule, level, dept, at, causes, note, status FROM alerts WHERE rule = 'inspection.flag' ORDER BY key",
    )

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('flag')
    platform = await startTestPlatform(db, nats, clock)
    expect((await post(platform, events)).json).toMatchObject({ accepted: 3 })
    await waitFor(async () => (await db.query("SELECT id FROM events WHERE case_id LIKE 'S-FLAG-%'")).rows.length === 3, 'case events stored')
  })

  afterAll(async () => {
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
  })

  it('raises a stored card with the reason, the inspector and the case events as causes', async () => {
    const r = await flag({ kind: 'supervision', caseId: 'S-FLAG-1', reason: '  督办事项进度明显滞后  ' })
    expect(r).toEqual({ status: 201, json: { status: 'flagged', key: KEY } })
    await waitFor(async () => (await flagRows()).rows.length === 1, 'flag card stored')
    const row = (await flagRows()).rows[0]!
    expect(row).toMatchObject({
      key: KEY, rule: 'inspection.flag', level: 'yellow', dept: 'transport', status: 'open',
      causes: ['flag-e1', 'flag-e2'], note: { reason: '督办事项进度明显滞后', by: INSPECTOR },
    })
    expect(row.at.getTime()).toBe(clock.now())
    // the wall shows it, note included
    const wall = (await (await fetch(`${platform.dashboardUrl}/api/v1/wall`, { headers: { cookie: await signInAs(platform, db) } })).json()) as { alerts: Array<{ key: string; note?: unknown }> }
    expect(wall.alerts.find((a) => a.key === KEY)?.note).toEqual({ reason: '督办事项进度明显滞后', by: INSPECTOR })
  })

  it('answers already to a second flag of the same case and level', async () => {
    const r = await flag({ kind: 'supervision', caseId: 'S-FLAG-1', reason: '再次提醒', level: 'yellow' })
    expect(r).toEqual({ status: 200, json: { status: 'already', key: KEY } })
    await new Promise((res) => setTimeout(res, 300))
    expect((await flagRows()).rows).toHaveLength(1)
  })

  it('answers 404 for a case without events', async () => {
    const r = await flag({ kind: 'supervision', caseId: 'S-NOPE', reason: '督办事项进度滞后' })
    expect(r.status).toBe(404)
    expect(r.json.error).toMatch(/no supervision case "S-NOPE"/)
  })

  it('answers 401 without an inspector token', async () => {
    const body = { kind: 'supervision', caseId: 'S-FLAG-1', reason: '督办事项进度滞后', level: 'red' }
    // a source's token is not an inspector's
    for (const token of [null, TOKEN]) {
      const r = await flag(body, token)
      expect(r.status).toBe(401)
      expect(r.json.error).toMatch(/bearer token/)
    }
  })

  it('refuses a NUL in the reason with 400, publishing nothing that the alert service could not store', async () => {
    // Before, this answered 201 and the card was retried by the alert service for ever, never stored.
    const r = await flag({ kind: 'supervision', caseId: 'S-FLAG-2', reason: '督办事项\u0000进度滞后', level: 'red' })
    expect(r).toEqual({ status: 400, json: { error: 'reason contains a NUL character (U+0000)', field: 'reason' } })
    const lone = await fetch(`${platform.dashboardUrl}/api/v1/flags`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${INSPECTOR_TOKEN}` },
      body: '{"kind":"supervision","caseId":"S-FLAG-2","reason":"督办事项进度滞后\\udc00","level":"red"}',
    })
    expect([lone.status, ((await lone.json()) as { field: string }).field]).toEqual([400, 'reason'])
    expect((await flag({ kind: 'supervision', caseId: 'S-FLAG-2\u0007', reason: '督办事项进度滞后' })).json).toMatchObject({ field: 'caseId' })
  })

  it('stores what it accepts, however odd the text, and leaves nothing behind on the alerts stream', async () => {
    expect([...HARD_REASON.trim()]).toHaveLength(500)
    const r = await flag({ kind: 'supervision', caseId: 'S-FLAG-2', reason: HARD_REASON, level: 'red' })
    expect(r).toEqual({ status: 201, json: { status: 'flagged', key: 'inspection.flag:red:supervision:S-FLAG-2' } })
    await waitFor(async () => (await flagRows()).rows.some((x) => x.key === r.json.key), 'the odd flag stored')
    const row = (await flagRows()).rows.find((x) => x.key === r.json.key)!
    expect(row.note).toEqual({ reason: HARD_REASON.trim(), by: INSPECTOR })
    // every card published was stored and acked: no poison waits on the stream
    await waitFor(async () => (await platform.infra.bus.backlog('JIANCHA_ALERTS', 'alerts')) === 0, 'the alerts stream drained')
  })

  it('answers 400, not 500, to a flag nested 30 000 levels', async () => {
    const deep = `{"kind":${'['.repeat(30_000)}${']'.repeat(30_000)},"caseId":"S-FLAG-1","reason":"督办事项进度滞后"}`
    const res = await fetch(`${platform.dashboardUrl}/api/v1/flags`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${INSPECTOR_TOKEN}` }, body: deep,
    })
    expect([res.status, await res.json()]).toEqual([400, { error: 'the body is nested deeper than 32 levels', field: '(body)' }])
  })

  it('answers 400 naming the bad level', async () => {
    const r = await flag({ kind: 'supervision', caseId: 'S-FLAG-1', reason: '督办事项进度滞后', level: 'orange' })
    expect(r).toEqual({ status: 400, json: { error: 'level must be yellow or red, got "orange"', field: 'level' } })
    expect((await flagRows()).rows.filter((x) => x.key.includes('S-FLAG-1'))).toHaveLength(1)
  })
})
