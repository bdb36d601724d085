/**
 * The alert service on real services, in batches and through the loss of what it
 * stands on: many cards stored once each in a few transactions; a batch redelivered
 * after its commit stores nothing twice; a card the database refuses goes to the dead
 * letters after its tries and the cards behind it are stored; the nats-server stopped
 * for a few seconds under it, the database gone for a while: it logs, waits, resumes,
 * and every card ends up stored once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ALERTS_STREAM, alertSubject, Bus } from '../common/bus/index.ts'
import { startTestServer, type TestServer } from '../common/bus/testdata/harness.ts'
import { alertKey, type CardMessage } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { defaultContext } from '../rules/index.ts'
import { ManualClock, waitFor } from '../test-support/platform.ts'
import { composeAlerts } from './compose.ts'
import { ALERTS_CONSUMER, type AlertService, LIVE_ALERTS, startAlertService } from './service.ts'
import { flakyDb, memoryLog } from './sms/testdata/support.ts'
import type { StoredAlert } from './store.ts'

const ctx = defaultContext()
const format = (t: number) => ctx.zone.format(t)

/** card is a red approval.no_reason card of case `A-<tag>` in land. */
function card(tag: string): CardMessage {
  const caseId = tag.startsWith('POISON') ? tag : `A-${tag}`
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

  /** start runs the service itself (not through composeAlerts), to see what it tells onStored. */
  const start = (over: { db?: Db; log?: ReturnType<typeof memoryLog>; retryMs?: number } = {}) => {
    const told: string[] = []
    const log = over.log ?? memoryLog()
    const threads = composeAlerts({ db, clock, ctx }).threads
    service = startAlertService({ bus, db: over.db ?? db, clock, format, log, threads, onStored: (c) => told.push(c.key), retryMs: over.retryMs })
    return { told, log }
  }
  /** counting is db, counting the transactions begun on it. */
  const counting = (n: { tx: number }): Db => ({ ...db, transaction: (fn) => (n.tx++, db.transaction(fn)) })
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(sql, params)).rows[0]!.n)
  const drained = () => waitFor(async () => (await bus.backlog(ALERTS_STREAM, ALERTS_CONSUMER)) === 0, 'nothing left for the service', 30_000)

  it('stores a backlog of many cards once each, a batch per transaction, and tells each once after its commit', async () => {
    const cards = Array.from({ length: 450 }, (_, i) => card(`m${i}`))
    const keys = cards.map((c) => c.key)
    await publish(cards)
    const live: string[] = []
    const sub = bus.subscribeLive<StoredAlert>(LIVE_ALERTS, (a) => live.push(a.key))
    await bus.flush()
    const n = { tx: 0 }
    const audit0 = await count('SELECT count(*) AS n FROM audit_log')
    const { told } = start({ db: counting(n) })
    try {
      await waitFor(async () => (await stored(keys)) === 450, 'every card stored', 30_000)
      await drained()
      await waitFor(() => live.length >= 450, 'every card announced')
      // One at a time would take 450 transactions; batches of up to 200 take a few (more when a slow machine splits them).
      expect(n.tx).toBeLessThanOrEqual(45)
      expect(told.sort()).toEqual([...keys].sort())
      expect(live.sort()).toEqual([...keys].sort())
      expect(await count('SELECT count(*) AS n FROM alert_events WHERE alert_key = ANY($1::text[])', [keys])).toBe(450)
      expect(await count('SELECT count(*) AS n FROM alert_threads WHERE case_id = ANY($1::text[])', [cards.map((c) => c.caseId)])).toBe(450)
      expect(await count('SELECT count(*) AS n FROM audit_log') - audit0).toBe(450)
      expect(service!.status()).toMatchObject({ stored: 450, lastError: null })
    } finally {
      sub.unsubscribe()
    }
  }, 60_000)

  it('stores nothing twice when a batch comes again after its commit, and tells only the new cards', async () => {
    // The commit happens, and then the answer to it is lost: the batch comes back from the bus.
    let lose = true
    const lossy: Db = { ...db, transaction: async (fn) => { const r = await db.transaction(fn); if (lose) { lose = false; throw new Error('Connection terminated unexpectedly') } return r } }
    const first = Array.from({ length: 30 }, (_, i) => card(`rd${i}`))
    const keys = first.map((c) => c.key)
    const audit0 = await count('SELECT count(*) AS n FROM audit_log')
    await publish(first)
    const { told, log } = start({ db: lossy })
    await waitFor(async () => (await stored(keys)) === 30, 'the batch stored')
    await drained()
    expect(log.lines.filter((l) => l.msg.includes('storing a batch of cards failed')).length).toBeGreaterThanOrEqual(1)
    // Again, as a rules worker that lost its ack would send them, with one new card among them.
    const fresh = card('rd-new')
    await Promise.all([...first, fresh].map((c) => publisher.publish(alertSubject(c.level, c.dept), c, `${c.key}@again`)))
    await waitFor(async () => (await stored([fresh.key])) === 1, 'the new card stored')
    await drained()
    expect(await count('SELECT count(*) AS n FROM alerts WHERE key = ANY($1::text[])', [keys])).toBe(30)
    expect(await count('SELECT count(*) AS n FROM alert_events WHERE alert_key = ANY($1::text[])', [[...keys, fresh.key]])).toBe(31)
    expect(await count('SELECT count(*) AS n FROM alert_transitions t JOIN alert_threads h ON h.id = t.thread_id WHERE h.case_id = ANY($1::text[])', [[...first, fresh].map((c) => c.caseId)])).toBe(31)
    expect(await count('SELECT count(*) AS n FROM audit_log') - audit0).toBe(31)
    // Told once, only after a commit that was seen to hold: the lost one's cards are for the notifier's sweep.
    expect(told).toEqual([fresh.key])
  }, 60_000)

  it('sends a card the database refuses to the dead letters after its tries, and stores the cards behind it at once', async () => {
    // Anything the database may refuse: here a trigger refuses one case, as it would a value it cannot take.
    await db.query(`CREATE FUNCTION refuse_poison_card() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.case_id = 'POISON-1' THEN RAISE EXCEPTION 'value not accepted for case %', NEW.case_id USING ERRCODE = '22023'; END IF; RETURN NEW; END $$`)
    await db.query('CREATE TRIGGER refuse_poison_card BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION refuse_poison_card()')
    try {
      const before = await bus.deadLetters(ALERTS_STREAM)
      const poison = card('POISON-1')
      const behind = ['p1', 'p2', 'p3'].map(card)
      // retries 5× shorter than the 1, 2, 4, 8 s of production: the same sequence, sooner
      const { told, log } = start({ retryMs: 200 })
      await publish([card('p0'), poison, ...behind])
      await waitFor(async () => (await stored([card('p0').key, ...behind.map((c) => c.key)])) === 4, 'the cards around it stored, long before its last try', 10_000)
      expect(await bus.deadLetters(ALERTS_STREAM)).toBe(before)
      // Tried 5 times (0.2, 0.4, 0.8, 1.6 s apart), then a dead letter with its reason; the consumer is then clear.
      await waitFor(async () => (await bus.deadLetters(ALERTS_STREAM)) === before + 1, 'a dead letter', 40_000)
      await drained()
      const [dead] = await bus.recentDeadLetters(ALERTS_STREAM, 1)
      expect(dead).toMatchObject({ consumer: 'alerts', tries: 5 })
      expect(dead!.error).toMatch(/the database refused it: value not accepted for case POISON-1/)
      expect(await stored([poison.key])).toBe(0)
      expect(told).not.toContain(poison.key)
      expect(log.lines.filter((l) => l.level === 'warn' && l.msg.includes('refused card')).length).toBe(4)
      expect(log.lines.filter((l) => l.level === 'error').map((l) => [l.msg.replace(/seq \d+/, 'seq N'), l.fields?.key])).toEqual([
        ['dead letter: card seq N after 5 tries: the database refused it: value not accepted for case POISON-1', poison.key],
      ])
      expect(service!.status().deadLetters).toBe(before + 1)
    } finally {
      await db.query('DROP TRIGGER refuse_poison_card ON alerts')
    }
  }, 60_000)

  it('sends a message that is not a card to the dead letters at once', async () => {
    const before = await bus.deadLetters(ALERTS_STREAM)
    const { log } = start()
    await publisher.publish(alertSubject('red', 'land'), { key: 'k', level: 'purple' }, 'not-a-card-1')
    await waitFor(async () => (await bus.deadLetters(ALERTS_STREAM)) === before + 1, 'a dead letter')
    await drained()
    expect((await bus.recentDeadLetters(ALERTS_STREAM, 1))[0]).toMatchObject({ tries: 1, error: 'not a card: rule: must be a non-empty string' })
    expect(log.lines.filter((l) => l.level === 'error').length).toBe(1)
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
    // waits of 0.3, 0.6, 1.2 s (production's 1, 2, 4 s, shortened)
    service = composeAlerts({ db: gone, clock, ctx }).startService({ bus, format, log, retryMs: 300 })
    const cards = ['d1', 'd2', 'd3', 'd4', 'd5'].map(card)
    await publish(cards)
    await new Promise((r) => setTimeout(r, 1050))
    // 0.3 s, then 0.6 s: about three tries in 1.05 s, where a retry per card per wait would be fifteen
    const failed = log.lines.filter((l) => l.level === 'error' && l.msg.includes('storing a batch of cards failed'))
    expect(failed.length).toBeGreaterThanOrEqual(2)
    expect(failed.length).toBeLessThanOrEqual(4)
    expect(failed.map((l) => l.fields?.retryMs)).toEqual([300, 600, 1200, 2400].slice(0, failed.length))
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
    await waitFor(() => log.lines.some((l) => l.msg.includes('storing a batch of cards failed')), 'a failure')
    const t0 = Date.now()
    await service.stop()
    service = undefined
    expect(Date.now() - t0).toBeLessThan(1500)
  })
})
