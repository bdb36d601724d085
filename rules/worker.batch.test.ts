/**
 * The live rules worker in batches, on real services (a private nats-server, PGlite
 * and PostgreSQL): an event the database refuses goes to the dead letters after its
 * tries and blocks nothing behind it; and under lag (the bus flooded while the worker
 * is held back, the clock past a deadline meanwhile) no card comes that replay would
 * not give.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Bus, DEAD_HEADERS, DEAD_STREAM, EVENTS_STREAM, RECEIVED_HEADER } from '../common/bus/index.ts'
import { loadConfig } from '../common/config/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { logger } from '../common/log/index.ts'
import { startPlatform, type Platform } from '../bin/platform.ts'
import { ManualClock, post, postAll, startTestServer, TOKEN, waitFor } from '../test-support/platform.ts'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { defaultContext } from './context.ts'
import { parseLines, replayEvents, toLine } from './replay.ts'

const approval = (id: string, type: string, caseId: string, at: string, attrs?: Record<string, unknown>): CaseEvent => ({
  id, source: 'hall', kind: 'approval', type, caseId, dept: 'market', at, ...(attrs ? { attrs } : {}),
})
const ITEM = { itemCode: 'MKT-1', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 }

describe.each(openTestDbs())('the rules worker in batches on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let platform: Platform | undefined
  let rules: Platform | undefined
  const clock = new ManualClock(Date.parse('2026-10-13T10:00:00+08:00'))
  const cfg = () =>
    loadConfig({
      env: {},
      overrides: { natsUrl: nats.url, collectorPort: 0, rulesPort: 0, alertsPort: 0, tickMs: 50, settleMs: 200, sources: [{ name: 'hall', token: TOKEN }], logLevel: 'error' },
    })
  const rows = async <R>(sql: string, params: unknown[] = []) => (await db.query<R>(sql, params)).rows

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('worker-batch')
    platform = await startPlatform(cfg(), new Set(['collector', 'alerts']), logger('test'), { db, clock })
    rules = await startPlatform(cfg(), new Set(['rules']), logger('test'), { db, clock })
  }, 60_000)

  afterAll(async () => {
    await rules?.stop()
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
  })

  it('fires no card that replay would not give when the bus is flooded and the worker lags behind', async () => {
    // SIM-A-1513: accepted 10-13 with a 5-day promise (due 10-21 00:00), completed 10-15;
    // SIM-A-1514 the same, never completed: its red card is right.
    const events = [
      approval('a1513-acc', 'accepted', 'SIM-A-1513', '2026-10-13T09:00:00+08:00', ITEM),
      approval('a1514-acc', 'accepted', 'SIM-A-1514', '2026-10-13T09:00:00+08:00', ITEM),
    ]
    expect((await post(platform!, events)).json).toMatchObject({ accepted: 2 })
    await waitFor(async () => Number((await rows<{ n: number }>('SELECT count(*) AS n FROM events'))[0]!.n) === 2, 'accepted, applied')
    clock.set('2026-10-15T16:00:00+08:00')
    // A flood of other events, SIM-A-1513's completion queued behind it, and the clock far past
    // the deadline while the worker is still at the flood.
    const flood: CaseEvent[] = Array.from({ length: 3000 }, (_, i) => ({
      id: `f${i}`, source: 'hall', kind: 'supervision', type: 'progress', caseId: `F-${i}`, dept: 'market', at: '2026-10-15T15:45:00+08:00', attrs: { percent: 10 },
    }))
    const done = [approval('a1513-dec', 'decided', 'SIM-A-1513', '2026-10-15T15:00:00+08:00', { decision: 'approve' }), approval('a1513-done', 'completed', 'SIM-A-1513', '2026-10-15T15:30:00+08:00')]
    const sent = await postAll(platform!, [...flood, ...done]) // what a loaded collector answers `failed` is sent again
    expect(sent.accepted + sent.duplicate).toBe(3002)
    clock.set('2026-10-25T10:00:00+08:00')
    await waitFor(async () => Number((await rows<{ n: number }>('SELECT count(*) AS n FROM events'))[0]!.n) === 3004, 'events stored', 30_000)
    await waitFor(async () => (await rows('SELECT 1 FROM alerts WHERE case_id = $1 AND rule = $2', ['SIM-A-1514', 'approval.overdue'])).length === 1, 'the right red card', 15_000)
    await new Promise((r) => setTimeout(r, 500)) // room for a wrong card to show up
    const cards = await rows<{ rule: string; case_id: string; at: Date }>("SELECT rule, case_id, at FROM alerts WHERE case_id LIKE 'SIM-%'")
    const expected = expectedCards([...events, ...done], clock.now())
    expect(cards.map((c) => `${c.rule} ${c.case_id} ${c.at.toISOString()}`).sort()).toEqual(expected.sort())
    expect(cards.some((c) => c.case_id === 'SIM-A-1513' && c.rule === 'approval.overdue')).toBe(false)
  }, 90_000)

  it('sends an event the database refuses to the dead letters after its tries, and the events behind it are stored and fire', async () => {
    // Anything the database may refuse: here a trigger refuses one id, as it would a value it cannot take.
    await db.query(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.id = 'poison' THEN RAISE EXCEPTION 'value not accepted for id %', NEW.id USING ERRCODE = '22023'; END IF; RETURN NEW; END $$`)
    await db.query('CREATE TRIGGER refuse_poison BEFORE INSERT ON event_ids FOR EACH ROW EXECUTE FUNCTION refuse_poison()')
    const bus = await Bus.connect({ url: nats.url, name: 'test-poison', log: () => {} })
    try {
      const before = await bus.deadLetters(EVENTS_STREAM)
      clock.set('2026-10-26T10:00:00+08:00')
      const poison = approval('poison', 'accepted', 'P-1', '2026-10-26T09:00:00+08:00', ITEM)
      // Behind it, a case completed without a decision: approval.out_of_order at once.
      const behind = [approval('behind-acc', 'accepted', 'B-1', '2026-10-26T09:10:00+08:00', ITEM), approval('behind', 'completed', 'B-1', '2026-10-26T09:30:00+08:00')]
      expect((await post(platform!, [poison, ...behind])).json).toMatchObject({ accepted: 3 })
      await waitFor(async () => (await rows('SELECT 1 FROM alerts WHERE case_id = $1', ['B-1'])).length === 1, 'the card of the event behind', 15_000)
      expect((await rows("SELECT 1 FROM events WHERE id = 'behind'")).length).toBe(1)
      // Tried 5 times (1, 2, 4, 8 s apart), then a dead letter with its reason; the consumer is then clear.
      await waitFor(async () => (await bus.deadLetters(EVENTS_STREAM)) === before + 1, 'a dead letter', 40_000)
      const nc = await connect({ servers: nats.url })
      try {
        const m = await (await jetstreamManager(nc)).streams.getMessage(DEAD_STREAM, { last_by_subj: 'jiancha.dead.JIANCHA_EVENTS' })
        expect(JSON.parse(new TextDecoder().decode(m!.data))).toMatchObject({ id: 'poison', caseId: 'P-1' })
        expect(m!.header.get(DEAD_HEADERS.error)).toMatch(/database refused it: value not accepted for id poison/)
        expect(m!.header.get(DEAD_HEADERS.tries)).toBe('5')
        expect(m!.header.get(DEAD_HEADERS.consumer)).toBe('rules')
        expect(m!.header.get(RECEIVED_HEADER)).toBe(new Date(Date.parse('2026-10-26T10:00:00+08:00')).toISOString())
      } finally {
        await nc.close()
      }
      await waitFor(async () => (await bus.backlog(EVENTS_STREAM, 'rules')) === 0, 'nothing left for the worker')
      // Nothing of it is stored, and no card exists for it.
      expect(await rows("SELECT 1 FROM events WHERE id = 'poison'")).toEqual([])
      expect(await rows("SELECT 1 FROM alerts WHERE case_id = 'P-1'")).toEqual([])
      // Cards exist only for stored events.
      expect(await rows("SELECT key FROM alerts a WHERE a.kind IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.kind = a.kind AND e.case_id = a.case_id)")).toEqual([])
    } finally {
      await bus.close()
      await db.query('DROP TRIGGER refuse_poison ON event_ids')
    }
  }, 90_000)
})

/** expectedCards is what replay says about the same events at the same instant. */
function expectedCards(events: CaseEvent[], until: number): string[] {
  const ctx = defaultContext()
  const { events: timed } = parseLines(events.map((e) => JSON.stringify(e)))
  return replayEvents(timed, until, ctx).fires.map((f) => {
    const l = toLine(f, ctx)
    return `${l.rule} ${l.caseId} ${new Date(Date.parse(l.at)).toISOString()}`
  })
}
