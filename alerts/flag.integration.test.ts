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
]
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
    expect((await post(platform, events)).json).toMatchObject({ accepted: 2 })
    await waitFor(async () => (await db.query("SELECT id FROM events WHERE case_id = 'S-FLAG-1'")).rows.length === 2, 'case events stored')
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

  it('answers 400 naming the bad level', async () => {
    const r = await flag({ kind: 'supervision', caseId: 'S-FLAG-1', reason: '督办事项进度滞后', level: 'orange' })
    expect(r).toEqual({ status: 400, json: { error: 'level must be yellow or red, got "orange"', field: 'level' } })
    expect((await flagRows()).rows).toHaveLength(1)
  })
})
