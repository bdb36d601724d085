import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../common/config/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { logger } from '../common/log/index.ts'
import { startPlatform, type Platform } from '../bin/platform.ts'
import { ManualClock, post, signInAs, startTestServer, TOKEN, waitFor } from '../test-support/platform.ts'

const ev = (id: string, type: string, caseId: string, at: string, attrs?: Record<string, unknown>): CaseEvent => ({
  id, source: 'hall', kind: 'approval', type, caseId, dept: 'market', at, ...(attrs ? { attrs } : {}),
})
const accepted = (id: string, caseId: string, at: string) =>
  ev(id, 'accepted', caseId, at, { itemCode: 'MKT-1', itemName: '食品经营许可', promisedDays: 3, legalDays: 20 })

describe.each(openTestDbs())('the live rules worker on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  let socket: Socket
  let resyncs = 0
  let cookie = ''
  const rulesFile = join(mkdtempSync(join(tmpdir(), 'jiancha-rules-')), 'rules.yaml')
  const clock = new ManualClock(Date.parse('2026-11-23T10:00:00+08:00')) // a Monday
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(sql, params)).rows[0]!.n)
  const card = (rule: string, caseId: string) =>
    db.query<{ status: string; withdrawn_by: string | null; settings_version: string }>(
      'SELECT status, withdrawn_by, settings_version FROM alerts WHERE rule = $1 AND case_id = $2', [rule, caseId],
    ).then((r) => r.rows[0])

  beforeAll(async () => {
    writeFileSync(rulesFile, 'version: v1\nrules:\n  approval.out_of_order: { enabled: false }\n')
    db = await backend.open()
    nats = await startTestServer('worker')
    const cfg = loadConfig({
      env: {},
      overrides: {
        natsUrl: nats.url, dashboardPort: 0, collectorPort: 0, alertsPort: 0, rulesPort: 0, tickMs: 50, settleMs: 200, allowedLatenessHours: 72,
        sources: [{ name: 'hall', token: TOKEN }], rulesFile, silentHours: 4, logLevel: 'error',
      },
    })
    platform = await startPlatform(cfg, new Set(['collector', 'rules', 'alerts', 'dashboard']), logger('test'), { db, clock })
    cookie = await signInAs(platform, db)
    socket = io(platform.dashboardUrl!, { transports: ['websocket'], extraHeaders: { cookie } })
    socket.on('resync', () => resyncs++)
    await waitFor(() => socket.connected, 'socket')
  })

  afterAll(async () => {
    socket?.close()
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
  })

  it('withdraws a red card that a late event disproves, and tells the walls', async () => {
    await post(platform, accepted('c1', 'C-1', '2026-11-23T09:30:00+08:00'))
    clock.set('2026-11-27T00:00:01+08:00') // due after 3 working days: 11-24, 25, 26
    await waitFor(async () => (await card('approval.overdue', 'C-1'))?.status === 'open', 'red card')
    // the department's system reports, a day late, that the case was suspended for a correction on 11-25
    await post(platform, ev('c1-sus', 'suspended', 'C-1', '2026-11-25T09:00:00+08:00', { reason: 'correction' }))
    await waitFor(async () => (await card('approval.overdue', 'C-1'))?.status === 'withdrawn', 'card withdrawn')
    expect((await card('approval.overdue', 'C-1'))!.withdrawn_by).toBe('c1-sus')
    await waitFor(() => resyncs > 0, 'walls told to resync')
    const wall = (await (await fetch(`${platform.dashboardUrl}/api/v1/wall`, { headers: { cookie } })).json()) as { alerts: Array<{ caseId: string; rule: string }> }
    expect(wall.alerts.filter((a) => a.caseId === 'C-1' && a.rule === 'approval.overdue')).toEqual([])
  })

  it('applies an edit of the rules file without a restart, and refuses a bad edit', async () => {
    clock.set('2026-11-27T09:30:00+08:00')
    await post(platform, ev('o1', 'completed', 'O-1', '2026-11-27T09:00:00+08:00'))
    await new Promise((r) => setTimeout(r, 600))
    expect(await card('approval.out_of_order', 'O-1')).toBeUndefined() // disabled in v1
    writeFileSync(rulesFile, 'version: v2\nrules:\n  approval.out_of_order: { level: red }\n')
    await waitFor(async () => (await count("SELECT count(*) AS n FROM rules_versions WHERE version = 'v2'")) === 1, 'v2 recorded')
    // a change of the rules in force is in the audit trail, once
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'rules.reloaded' AND subject = 'rules:v2'")).toBe(1)
    await post(platform, ev('o2', 'completed', 'O-2', '2026-11-27T09:00:00+08:00'))
    await waitFor(async () => (await card('approval.out_of_order', 'O-2'))?.settings_version === 'v2', 'card under v2')
    writeFileSync(rulesFile, 'version: v3\nrules:\n  approval.out_of_order: { level: purple }\n')
    await new Promise((r) => setTimeout(r, 2500))
    expect(await count("SELECT count(*) AS n FROM rules_versions WHERE version = 'v3'")).toBe(0)
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'rules.reloaded' AND subject = 'rules:v3'")).toBe(0)
    await post(platform, ev('o3', 'completed', 'O-3', '2026-11-27T09:00:00+08:00'))
    await waitFor(async () => (await card('approval.out_of_order', 'O-3'))?.settings_version === 'v2', 'v2 still in force')
  })

  it('raises source.silent when a source stops sending for 4 office hours', async () => {
    clock.set('2026-11-27T10:00:00+08:00') // Friday; the last event above came in at about this time
    await post(platform, accepted('s1', 'S-1', '2026-11-27T09:59:00+08:00'))
    await waitFor(async () => (await count("SELECT count(*) AS n FROM events WHERE id = 's1'")) === 1, 'event stored')
    clock.set('2026-11-27T13:59:00+08:00')
    await new Promise((r) => setTimeout(r, 300))
    // (the jump from Monday to Thursday night above was itself a silence, already raised)
    const silence = "SELECT count(*) AS n FROM alerts WHERE rule = 'source.silent' AND case_id = 'hall@2026-11-27T10:00:00+08:00'"
    expect(await count(silence)).toBe(0)
    clock.set('2026-11-27T14:00:01+08:00')
    await waitFor(async () => (await count(silence)) === 1, 'silent card')
    const row = (await db.query<{ at: Date; dept: string }>("SELECT at, dept FROM alerts WHERE case_id = 'hall@2026-11-27T10:00:00+08:00'")).rows[0]!
    expect(row).toEqual({ at: new Date('2026-11-27T14:00:00+08:00'), dept: 'market' })
  })
})
