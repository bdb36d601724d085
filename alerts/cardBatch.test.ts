/**
 * storeCards on both backends: a batch applied in order in one transaction, each card
 * once with its thread and audit entries; the cards the database refuses left out by
 * bisection, the others committed in order; trouble of the moment fails the batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alertKey, type CardMessage, type Level } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { defaultContext } from '../rules/index.ts'
import { storeCards } from './cardBatch.ts'
import { composeAlerts } from './compose.ts'
import type { ThreadStore } from './lifecycle/threadStore.ts'
import { ManualClock } from './sms/testdata/support.ts'

const NOW = Date.parse('2026-11-24T10:00:00+08:00')

function card(caseId: string, level: Level = 'red', rule = level === 'red' ? 'approval.overdue' : 'approval.due_soon'): CardMessage {
  return {
    key: alertKey(rule, level, 'approval', caseId), rule, level, kind: 'approval', caseId, dept: 'land',
    at: '2026-11-24T09:00:00.000+08:00', causes: [`ev-${caseId}`], settingsVersion: 'test',
  }
}

describe.each(openTestDbs())('storeCards on $name', (backend) => {
  let db: Db
  let threads: ThreadStore
  const rows = async <R>(sql: string, params: unknown[] = []) => (await db.query<R>(sql, params)).rows
  const count = async (sql: string, params: unknown[] = []) => Number((await rows<{ n: number }>(sql, params))[0]!.n)

  beforeAll(async () => {
    db = await backend.open()
    threads = composeAlerts({ db, clock: new ManualClock(NOW), ctx: defaultContext() }).threads
  })
  afterAll(async () => {
    await db?.close()
  })

  it('applies a batch in order, each card once with its thread, and tells what changed', async () => {
    // A yellow and then the red of the same case in one batch: one thread, upgraded.
    const batch = [card('B-1', 'yellow'), card('B-2'), card('B-1', 'red'), card('B-3')]
    const audit0 = await count('SELECT count(*) AS n FROM audit_log')
    expect(await storeCards(db, threads, batch, NOW)).toEqual({ changed: new Set([0, 1, 2, 3]), refused: new Map() })
    const t = await rows<{ case_id: string; level: string; alert_keys: string[] }>("SELECT case_id, level, alert_keys FROM alert_threads WHERE case_id LIKE 'B-%' ORDER BY case_id")
    expect(t.map((x) => [x.case_id, x.level, x.alert_keys.length])).toEqual([['B-1', 'red', 2], ['B-2', 'red', 1], ['B-3', 'red', 1]])
    // opened ×3 and upgraded ×1, each audited in the same transaction
    expect(await count('SELECT count(*) AS n FROM audit_log') - audit0).toBe(4)

    // Delivered again, with one new card among them: only that one changes anything.
    const again = [...batch, card('B-4')]
    expect(await storeCards(db, threads, again, NOW)).toEqual({ changed: new Set([4]), refused: new Map() })
    expect(await count("SELECT count(*) AS n FROM alerts WHERE case_id LIKE 'B-%'")).toBe(5)
    expect(await count("SELECT count(*) AS n FROM alert_events WHERE alert_key LIKE '%:B-%'")).toBe(5)
    expect(await count('SELECT count(*) AS n FROM audit_log') - audit0).toBe(5)
  })

  it('withdraws a card once, however often the withdrawal comes', async () => {
    const c = card('W-1')
    await storeCards(db, threads, [c], NOW)
    const w: CardMessage = { ...c, withdrawn: { by: 'late-1' } }
    expect((await storeCards(db, threads, [w, w], NOW)).changed).toEqual(new Set([0]))
    expect(await rows('SELECT status, withdrawn_by FROM alerts WHERE key = $1', [c.key])).toEqual([{ status: 'withdrawn', withdrawn_by: 'late-1' }])
  })

  it('leaves out the cards the database refuses, with its reason, and commits the others in order', async () => {
    await db.query(`CREATE FUNCTION refuse_card() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.case_id LIKE 'BAD-%' THEN RAISE EXCEPTION 'card not accepted: %', NEW.key USING ERRCODE = '22023'; END IF; RETURN NEW; END $$`)
    await db.query('CREATE TRIGGER refuse_card BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION refuse_card()')
    try {
      const batch = [card('R-1', 'yellow'), card('BAD-1'), card('R-2'), card('R-3'), card('BAD-2'), card('R-1', 'red'), card('R-4')]
      const out = await storeCards(db, threads, batch, NOW)
      expect([...out.refused.keys()]).toEqual([1, 4])
      expect(out.refused.get(1)!.message).toMatch(/card not accepted: approval\.overdue:red:approval:BAD-1/)
      expect(out.changed).toEqual(new Set([0, 2, 3, 5, 6]))
      expect(await count("SELECT count(*) AS n FROM alerts WHERE case_id LIKE 'BAD-%'")).toBe(0)
      // The red came after its yellow: one thread, upgraded, as without the refused cards.
      expect(await rows("SELECT level, alert_keys FROM alert_threads WHERE case_id = 'R-1'")).toEqual([{ level: 'red', alert_keys: [batch[0]!.key, batch[5]!.key] }])
      expect(await count("SELECT count(*) AS n FROM alert_events WHERE alert_key LIKE '%:R-%'")).toBe(5)
    } finally {
      await db.query('DROP TRIGGER refuse_card ON alerts')
    }
  })

  it('fails the whole batch for trouble that is not about its cards', async () => {
    const closed = await backend.open()
    await closed.close()
    await expect(storeCards(closed, threads, [card('X-1')], NOW)).rejects.toThrow()
    // A refusal that is not about the data (here: a lock not granted) is not the card's fault either.
    await db.query(`CREATE FUNCTION busy_card() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not obtain lock' USING ERRCODE = '55P03'; END $$`)
    await db.query('CREATE TRIGGER busy_card BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION busy_card()')
    try {
      await expect(storeCards(db, threads, [card('X-2'), card('X-3')], NOW)).rejects.toThrow(/could not obtain lock/)
      expect(await count("SELECT count(*) AS n FROM alerts WHERE case_id LIKE 'X-%'")).toBe(0)
    } finally {
      await db.query('DROP TRIGGER busy_card ON alerts')
    }
  })
})
