/**
 * The alert service on real services, through the loss of what it stands on: the
 * nats-server stopped for a few seconds under it, the database gone for a while. It
 * logs, waits, resumes, and every card ends up stored once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { alertSubject, Bus } from '../common/bus/index.ts'
import { startTestServer, type TestServer } from '../common/bus/testdata/harness.ts'
import { alertKey, type CardMessage } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { defaultContext } from '../rules/index.ts'
import { ManualClock, waitFor } from '../test-support/platform.ts'
import { composeAlerts } from './compose.ts'
import type { AlertService } from './service.ts'
import { flakyDb, memoryLog } from './sms/testdata/support.ts'

const ctx = defaultContext()
const format = (t: number) => ctx.zone.format(t)

/** card is a red approval.no_reason card of case `A-<tag>` in land. */
function card(tag: string): CardMessage {
  const caseId = `A-${tag}`
  return {
    key: alertKey('approval.no_reason', 'red', 'approval', caseId), rule: 'approval.no_reason', level: 'red',
    kind: 'approval', caseId, dept: 'land', at: '2026-11-24T09:00:00.000+08:00', causes: [`ev-${tag}`], settingsVersion: 'test',
  }
}

describe.each(openTestDbs())('the alert service through outages on $name', (backend) => {
  let db: Db
  let nats: TestServer
  let bus: Bus
  let publisher: Bus
  let service: AlertService | undefined
  const clock = new ManualClock(Date.parse('2026-11-24T10:00:00+08:00'))
  const busLog: string[] = []

  const stored = async (keys: string[]) =>
    Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM alerts WHERE key = ANY($1::text[])', [keys])).rows[0]!.n)
  const publish = (cards: CardMessage[]) => Promise.all(cards.map((c) => publisher.publish(alertSubject(c.level, c.dept), c, c.key)))

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('service')
    bus = await Bus.connect({ url: nats.url, name: 'service-test', log: (m) => busLog.push(m) })
    publisher = await Bus.connect({ url: nats.url, name: 'service-test-publisher', log: () => {} })
  })
  afterEach(async () => {
    await service?.stop()
    service = undefined
  })
  afterAll(async () => {
    await publisher?.close()
    await bus?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('stores the cards published while the nats-server was stopped for a few seconds', async () => {
    const log = memoryLog()
    service = composeAlerts({ db, clock, ctx }).startService({ bus, format, log })
    const before = ['n1', 'n2', 'n3'].map(card)
    await publish(before)
    await waitFor(async () => (await stored(before.map((c) => c.key))) === 3, 'the first cards stored')

    await nats.stop()
    // Published during the outage: the publisher waits for the server, as the rules worker does.
    const during = ['n4', 'n5', 'n6', 'n7'].map(card)
    const published = publish(during)
    await new Promise((r) => setTimeout(r, 3000))
    await nats.start()
    await published
    await waitFor(async () => (await stored(during.map((c) => c.key))) === 4, 'the cards of the outage stored', 30_000)

    // Once each, each with its thread; the consumer said what happened and carried on.
    const threads = await db.query<{ case_id: string }>("SELECT case_id FROM alert_threads WHERE case_id = ANY($1::text[]) ORDER BY case_id", [[...before, ...during].map((c) => c.caseId)])
    expect(threads.rows.map((t) => t.case_id)).toEqual([...before, ...during].map((c) => c.caseId))
    expect(busLog.some((m) => /consumer JIANCHA_ALERTS\/alerts: .*retrying/.test(m))).toBe(true)
    // A consumer that retried in a tight loop would log hundreds of lines in those seconds.
    expect(busLog.filter((m) => m.includes('JIANCHA_ALERTS/alerts')).length).toBeLessThan(20)
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([])
  })

  it('waits longer after each failure while the database is gone, then stores every card', async () => {
    let down = true
    const calls = { n: 0 }
    const log = memoryLog()
    const gone = flakyDb(db, () => down, calls)
    service = composeAlerts({ db: gone, clock, ctx }).startService({ bus, format, log })
    const cards = ['d1', 'd2', 'd3', 'd4', 'd5'].map(card)
    await publish(cards)
    await new Promise((r) => setTimeout(r, 3500))
    // 1 s, then 2 s: about three tries in 3.5 s, where a retry per card per second would be fifteen
    const failed = log.lines.filter((l) => l.level === 'error' && l.msg.includes('storing a card failed'))
    expect(failed.length).toBeGreaterThanOrEqual(2)
    expect(failed.length).toBeLessThanOrEqual(4)
    expect(failed.map((l) => l.fields?.retryMs)).toEqual([1000, 2000, 4000, 8000].slice(0, failed.length))
    down = false
    await waitFor(async () => (await stored(cards.map((c) => c.key))) === 5, 'every card stored once the database is back', 30_000)
    const n = await db.query<{ n: number }>('SELECT count(*) AS n FROM alert_events WHERE alert_key = ANY($1::text[])', [cards.map((c) => c.key)])
    expect(Number(n.rows[0]!.n)).toBe(5)
  })

  it('stores the cards pulled with one the database refuses, before and after it', async () => {
    const log = memoryLog()
    service = composeAlerts({ db, clock, ctx }).startService({ bus, format, log })
    const bad = { ...card('r2'), level: 'blue' } as unknown as CardMessage // the alerts table's CHECK refuses it
    const cards = [card('r1'), bad, card('r3'), card('r4')]
    await publish(cards)
    const good = [cards[0]!, cards[2]!, cards[3]!].map((c) => c.key)
    await waitFor(async () => (await stored(good)) === 3, 'the other cards stored', 15_000)
    expect(await stored([bad.key])).toBe(0)
    expect(log.lines.some((l) => l.level === 'error' && l.fields?.key === bad.key)).toBe(true)
  })

  it('stops at once while it waits out a failure', async () => {
    const log = memoryLog()
    service = composeAlerts({ db: flakyDb(db, () => true), clock, ctx }).startService({ bus, format, log })
    await publish(['s1'].map(card))
    await waitFor(() => log.lines.some((l) => l.msg.includes('storing a card failed')), 'a failure')
    const t0 = Date.now()
    await service.stop()
    service = undefined
    expect(Date.now() - t0).toBeLessThan(1500)
  })
})
