/**
 * The whole platform in another zone than Shanghai's: JIANCHA_ZONE=America/New_York.
 * Every instant below is chosen so that Shanghai's calendar would give another answer:
 * a deadline falls at New York's midnight, a yellow card raised at 23:00 in New York
 * (noon in Shanghai) waits for New York's morning, and the daily counts put it on New
 * York's date (26 November in Shanghai).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertContact } from '../alerts/index.ts'
import type { AlertView, CaseEvent, Me } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { ManualClock, post, signInAs, startTestPlatform, startTestServer, waitFor } from '../test-support/platform.ts'
import type { Platform } from './platform.ts'

const ZONE = 'America/New_York'
const DUTY = '+8613800003333'

describe.each(openTestDbs())(`the platform in ${ZONE} on $name`, (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform
  const clock = new ManualClock(Date.parse('2026-11-23T12:00:00-05:00')) // a Monday, noon in New York

  const count = async (sql: string) => Number((await db.query<{ n: number }>(sql)).rows[0]!.n)
  const cardAt = async (caseId: string, rule: string) =>
    (await db.query<{ at: Date }>('SELECT at FROM alerts WHERE case_id = $1 AND rule = $2', [caseId, rule])).rows[0]?.at.toISOString()
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

  beforeAll(async () => {
    db = await backend.open({ zone: ZONE })
    nats = await startTestServer('zone')
    platform = await startTestPlatform(db, nats, clock, undefined, { zone: ZONE })
    // Only market has someone to text: its night-time yellow card is the one to watch.
    await upsertContact(db, { dept: 'market', role: 'duty', name: '值班员', phone: DUTY })
  })

  afterAll(async () => {
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
  })

  it('puts a case’s deadlines at local midnight of the zone', async () => {
    const accepted: CaseEvent = {
      id: 'ny-acc', source: 'hall', kind: 'approval', type: 'accepted', caseId: 'NY-1', dept: 'tax', at: '2026-11-23T10:00:00-05:00',
      attrs: { itemCode: 'TAX-1', itemName: '税务登记', promisedDays: 3, legalDays: 20 },
    }
    expect((await post(platform, accepted)).json).toMatchObject({ accepted: 1 })
    await waitFor(async () => (await count("SELECT count(*) AS n FROM cases WHERE case_id = 'NY-1' AND open")) === 1, 'case stored as open')
    // Due soon after one counted day, 24 November: at 00:00 on the 25th in New York. Shanghai's
    // calendar would have raised it at 11:00 on the 24th, New York time.
    clock.set('2026-11-24T23:59:59-05:00')
    await pause(400)
    expect(await cardAt('NY-1', 'approval.due_soon')).toBeUndefined()
    clock.set('2026-11-25T00:00:01-05:00')
    await waitFor(() => cardAt('NY-1', 'approval.due_soon'), 'the due-soon card')
    expect(await cardAt('NY-1', 'approval.due_soon')).toBe(new Date('2026-11-25T00:00:00-05:00').toISOString())
  })

  it('holds a yellow card raised at night until the zone’s morning', async () => {
    clock.set('2026-11-25T23:00:30-05:00') // 12:00:30 on the 26th in Shanghai: not its night
    const rejected: CaseEvent = { id: 'ny-rej', source: 'hall', kind: 'approval', type: 'rejected', caseId: 'NY-2', dept: 'market', at: '2026-11-25T23:00:00-05:00', attrs: { reason: '' } }
    expect((await post(platform, rejected)).json).toMatchObject({ accepted: 1 })
    await waitFor(() => cardAt('NY-2', 'approval.no_reason'), 'the yellow card')
    const texts = () => count("SELECT count(*) AS n FROM sms_outbox WHERE dept = 'market'")
    // 03:00 in New York, 16:00 in Shanghai: the group wait is long over, the night is not.
    clock.set('2026-11-26T03:00:00-05:00')
    await pause(2500)
    expect(await texts()).toBe(0)
    clock.set('2026-11-26T07:00:30-05:00')
    await waitFor(async () => (await texts()) === 1, 'the morning text', 20_000)
    const sms = (await db.query<{ recipient: string; body: string }>("SELECT recipient, body FROM sms_outbox WHERE dept = 'market'")).rows[0]!
    expect(sms.recipient).toBe(DUTY)
    expect(sms.body).toContain('黄牌')
  })

  it('turns the case red at local midnight after its last counted day', async () => {
    clock.set('2026-11-26T23:59:59-05:00')
    await pause(400)
    expect(await cardAt('NY-1', 'approval.overdue')).toBeUndefined()
    clock.set('2026-11-27T00:00:01-05:00')
    await waitFor(() => cardAt('NY-1', 'approval.overdue'), 'the red card')
    expect(await cardAt('NY-1', 'approval.overdue')).toBe(new Date('2026-11-27T00:00:00-05:00').toISOString())
  })

  it('counts cards per local date of the zone in alerts_daily', async () => {
    const local = (rule: string, dept: string) =>
      db.query<{ at: Date }>('SELECT at FROM alerts WHERE rule = $1 AND dept = $2', [rule, dept]).then((r) => r.rows.map((x) => x.at.toISOString()))
    // Besides the three cards above, the source fell silent twice: 4 office hours (09:00–17:00
    // in New York) after each department's event reached the platform (noon; 23:00).
    expect(await local('source.silent', 'tax')).toEqual([new Date('2026-11-23T16:00:00-05:00').toISOString()])
    expect(await local('source.silent', 'market')).toEqual([new Date('2026-11-26T13:00:00-05:00').toISOString()])
    const daily = await db.query<{ day: Date; dept: string; level: string; cards: number }>('SELECT day, dept, level, cards FROM alerts_daily ORDER BY day, dept, level')
    expect(daily.rows).toEqual([
      { day: new Date('2026-11-23T00:00:00-05:00'), dept: 'tax', level: 'yellow', cards: 1 },
      // 23:00 on the 25th is the 25th here, though the 26th in Shanghai.
      { day: new Date('2026-11-25T00:00:00-05:00'), dept: 'market', level: 'yellow', cards: 1 },
      { day: new Date('2026-11-25T00:00:00-05:00'), dept: 'tax', level: 'yellow', cards: 1 },
      { day: new Date('2026-11-26T00:00:00-05:00'), dept: 'market', level: 'yellow', cards: 1 },
      { day: new Date('2026-11-27T00:00:00-05:00'), dept: 'tax', level: 'red', cards: 1 },
    ])
  })

  it('tells the browser the zone and writes times in it', async () => {
    const cookie = await signInAs(platform, db)
    const me = (await (await fetch(`${platform.dashboardUrl}/api/v1/me`, { headers: { cookie } })).json()) as Me
    expect(me.zone).toBe(ZONE)
    const alerts = (await (await fetch(`${platform.dashboardUrl}/api/v1/alerts?dept=market&rule=approval.no_reason`, { headers: { cookie } })).json()) as { alerts: AlertView[] }
    expect(alerts.alerts.map((a) => a.at)).toEqual(['2026-11-25T23:00:00-05:00'])
  })

  it('will not start on this database under another JIANCHA_ZONE', async () => {
    await platform.stop()
    await expect(startTestPlatform(db, nats, clock)).rejects.toThrow(
      `JIANCHA_ZONE is "Asia/Shanghai", but this database was built with zone "${ZONE}"`,
    )
    platform = await startTestPlatform(db, nats, clock, undefined, { zone: ZONE })
  })
})
