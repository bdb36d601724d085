/**
 * What must hold after any fault: every event stored once, every card that
 * `jiancha replay` gives for the same events standing exactly once (and none it would
 * not give), and no text message sent twice.
 */
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { Bus } from '../../common/bus/index.ts'
import type { CaseEvent } from '../../common/contract/index.ts'

const BIN = fileURLToPath(new URL('../../bin/jiancha.js', import.meta.url))

/** Probe reads the platform's state: the database by URL (a new connection each time, so a restarted server is fine) and the consumers' backlogs. */
export interface Probe {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>
  /** backlog is what the durable consumers still have to finish: undelivered and unacked */
  backlog(): Promise<number>
}

/** probeOf opens what waitSettled and check read through. */
export function probeOf(url: string, bus: Pick<Bus, 'backlog'>): Probe {
  return {
    async query(sql, params) {
      const c = new pg.Client({ connectionString: url })
      c.on('error', () => {})
      await c.connect()
      try {
        return await c.query(sql, params)
      } finally {
        await c.end().catch(() => {})
      }
    },
    async backlog() {
      return (await bus.backlog('JIANCHA_EVENTS', 'rules')) + (await bus.backlog('JIANCHA_ALERTS', 'alerts'))
    },
  }
}

/** QUIET_MS is how long nothing may change before the platform counts as settled: longer than the rules' settle delay (RULES_SETTLE_MS, 5 s), during which the last cases' cards wait unseen. */
const QUIET_MS = 8000

/**
 * waitSettled waits until all `n` events are stored, both consumers have nothing left
 * (a message a killed process held comes back only after its ack wait), and the cards
 * and the outbox have stopped moving.
 */
export async function waitSettled(p: Probe, n: number, timeoutMs = 240_000): Promise<void> {
  const end = Date.now() + timeoutMs
  let last = ''
  let sameSince = Date.now()
  for (;;) {
    const r = await p.query<{ events: number; alerts: number; outbox: number; pending: number }>(
      `SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM alerts) AS alerts,
              (SELECT count(*)::int FROM sms_outbox) AS outbox, (SELECT count(*)::int FROM sms_outbox WHERE status IN ('pending', 'sending')) AS pending`,
    ).catch(() => null)
    const backlog = await p.backlog().catch(() => -1)
    const now = r ? JSON.stringify({ ...r.rows[0], backlog }) : 'database down'
    if (now !== last) {
      last = now
      sameSince = Date.now()
    }
    const row = r?.rows[0]
    if (row && row.events === n && row.pending === 0 && backlog === 0 && Date.now() - sameSince > QUIET_MS) return
    if (Date.now() > end) throw new Error(`not settled after ${timeoutMs} ms: ${now} (want ${n} events)`)
    await new Promise((res) => setTimeout(res, 500))
  }
}

/** replayCards runs `jiancha replay` over the events and returns its cards as rule:level:caseId → instant. */
export async function replayCards(events: readonly CaseEvent[], file: string, until: number): Promise<Map<string, number>> {
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n')
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'replay', file, '--until', new Date(until).toISOString()], { maxBuffer: 1 << 28 })
  const cards = new Map<string, number>()
  for (const line of stdout.split('\n').filter(Boolean)) {
    const c = JSON.parse(line) as { rule: string; level: string; caseId: string; at: string }
    cards.set(`${c.rule}:${c.level}:${c.caseId}`, Date.parse(c.at))
  }
  return cards
}

/** Verdict lists what does not hold; empty when all is well. */
export interface Verdict {
  problems: string[]
  events: number
  cards: number
  sms: number
}

/**
 * check holds the database against the events sent and against replay: cards are
 * compared for instants before `until` (a deadline later than that is not due yet on
 * either side), case cards only (数据中断 and the calendar's are the platform's).
 */
export async function check(db: Probe, events: readonly CaseEvent[], replayed: Map<string, number>, until: number, smsSent: ReadonlyArray<{ to: string; body: string }>): Promise<Verdict> {
  const problems: string[] = []
  const stored = await db.query<{ n: number; distinct: number }>('SELECT count(*)::int AS n, count(DISTINCT (source, id))::int AS distinct FROM events')
  const s = stored.rows[0]!
  if (s.n !== events.length || s.distinct !== events.length) problems.push(`events: ${s.n} rows, ${s.distinct} distinct, ${events.length} sent`)
  const live = await db.query<{ rule: string; level: string; case_id: string; at: Date }>(
    `SELECT rule, level, case_id, at FROM alerts WHERE kind IS NOT NULL AND status <> 'withdrawn' AND at < $1`,
    [new Date(until)],
  )
  const liveCards = new Map(live.rows.map((r) => [`${r.rule}:${r.level}:${r.case_id}`, r.at.getTime()]))
  for (const [k, at] of replayed) {
    if (at >= until) continue
    if (!liveCards.has(k)) problems.push(`missing card ${k} at ${new Date(at).toISOString()}`)
    else if (liveCards.get(k) !== at) problems.push(`card ${k} at ${new Date(liveCards.get(k)!).toISOString()}, replay says ${new Date(at).toISOString()}`)
  }
  for (const k of liveCards.keys()) if (!replayed.has(k)) problems.push(`card ${k} that replay does not give`)
  const twice = await db.query<{ ref: string; recipient: string; n: number }>(
    'SELECT ref, recipient, count(*)::int AS n FROM sms_outbox GROUP BY ref, recipient HAVING count(*) > 1',
  )
  for (const t of twice.rows) problems.push(`outbox holds ${t.n} rows for ${t.ref} → ${t.recipient}`)
  const seen = new Map<string, number>()
  for (const m of smsSent) seen.set(`${m.to} ${m.body}`, (seen.get(`${m.to} ${m.body}`) ?? 0) + 1)
  for (const [m, n] of seen) if (n > 1) problems.push(`sent ${n} times: ${m}`)
  return { problems: problems.slice(0, 20), events: s.n, cards: liveCards.size, sms: smsSent.length }
}
