/**
 * A property test of the intake end to end, on real services (a private nats-server,
 * PGlite and PostgreSQL): random NDJSON requests of valid events, broken ones, lines
 * that are not JSON, events of another source or from the future, and events sent
 * again (in the same request or a later one) go through the collector's HTTP intake
 * (ingestBatch: the contract's validator, the source and time checks, deduplication)
 * and the bus to the rules worker, which stores them. Whatever the mix:
 *   - every valid event is accepted the first time and `duplicate` after, and every
 *     other item rejected, naming the field that was broken;
 *   - the stored rows are exactly the valid events, each once, as they were sent.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Bus, EVENTS_STREAM } from '../common/bus/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'
import { brokenLine, shanghai, validEvent } from '../common/contract/testdata/eventArbitraries.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import type { Platform } from '../bin/platform.ts'
import type { TestServer } from '../common/bus/testdata/harness.ts'
import { ManualClock, post, startTestPlatform, startTestServer, waitFor } from '../test-support/platform.ts'

/** The platform clock: after every event the arbitraries make (they end in June 2026). */
const NOW = Date.parse('2026-07-01T00:00:00+08:00')

/** Item is one line of a request, as generated: its ids are given when the requests are laid out. */
type Item =
  | { valid: CaseEvent }
  | { again: number }
  | { text: string; field: string }
  | { otherSource: CaseEvent }
  | { future: CaseEvent }

const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 8, arbitrary: validEvent.map((valid): Item => ({ valid })) },
  { weight: 2, arbitrary: fc.nat().map((again): Item => ({ again })) },
  { weight: 2, arbitrary: brokenLine.map((l): Item => ('valid' in l ? { valid: l.valid } : l)) },
  { weight: 1, arbitrary: validEvent.map((otherSource): Item => ({ otherSource })) },
  { weight: 1, arbitrary: validEvent.map((future): Item => ({ future })) },
)
const requests = fc.array(fc.array(item, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 3 })

/** Expected is what the collector must answer for one line. */
type Expected = { status: 'accepted' | 'duplicate'; id: string } | { status: 'rejected'; field: string }

/** layOut turns generated requests into NDJSON bodies and the answers due, with ids of run `run`; sent lists the valid events once each. */
function layOut(reqs: Item[][], run: number): { bodies: string[]; answers: Expected[][]; sent: CaseEvent[] } {
  const sent: CaseEvent[] = []
  let n = 0
  const bodies: string[] = []
  const answers: Expected[][] = []
  for (const req of reqs) {
    const lines: string[] = []
    const due: Expected[] = []
    for (const it of req) {
      if ('valid' in it) {
        const ev = { ...it.valid, id: `r${run}-e${n++}` }
        sent.push(ev)
        lines.push(JSON.stringify(ev))
        due.push({ status: 'accepted', id: ev.id })
      } else if ('again' in it) {
        const ev = sent[it.again % Math.max(1, sent.length)]
        if (!ev) continue
        lines.push(JSON.stringify(ev))
        due.push({ status: 'duplicate', id: ev.id })
      } else if ('otherSource' in it) {
        lines.push(JSON.stringify({ ...it.otherSource, id: `r${run}-x${n++}`, source: 'other' }))
        due.push({ status: 'rejected', field: 'source' })
      } else if ('future' in it) {
        lines.push(JSON.stringify({ ...it.future, id: `r${run}-x${n++}`, at: shanghai(NOW + 86_400_000) }))
        due.push({ status: 'rejected', field: 'at' })
      } else {
        lines.push(it.text)
        // One line per event: a line that is not JSON is an item of its own, named as the event.
        due.push({ status: 'rejected', field: it.field === '(line)' ? '(event)' : it.field })
      }
    }
    if (!lines.length) continue
    bodies.push(lines.join('\n'))
    answers.push(due)
  }
  return { bodies, answers, sent }
}

describe.each(openTestDbs())('the intake, property, on $name', (backend) => {
  let db: Db
  let nats: TestServer
  let bus: Bus
  let platform: Platform | undefined

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('intake-property')
    platform = await startTestPlatform(db, nats, new ManualClock(NOW), ['collector', 'rules'], { config: { logLevel: 'error' } })
    bus = await Bus.connect({ url: nats.url, name: 'intake-property', log: () => {} })
  }, 60_000)
  afterAll(async () => {
    await bus?.close()
    await platform?.stop()
    await nats?.dispose()
    await db?.close()
  })

  it('stores exactly the valid events, each once, and rejects every other item by name', async () => {
    let run = 0
    let stored = 0
    let rejected = 0
    await fc.assert(
      fc.asyncProperty(requests, async (reqs) => {
        const r = run++
        const { bodies, answers, sent } = layOut(reqs, r)
        for (const [i, body] of bodies.entries()) {
          const res = await post(platform!, body, 'application/x-ndjson')
          const got = (res.json.results as Array<{ status: string; id?: string; error?: { field: string; message: string } }>).map((x, index) =>
            x.status === 'rejected' ? { index, status: x.status, field: x.error?.field } : { index, status: x.status, id: x.id },
          )
          expect(got).toEqual(answers[i]!.map((a, index) => ({ index, ...a })))
          rejected += answers[i]!.filter((a) => a.status === 'rejected').length
        }
        const rows = async () =>
          (await db.query<{ id: string; n: number; body: CaseEvent }>('SELECT id, count(*) OVER (PARTITION BY source, id) AS n, body FROM events WHERE id LIKE $1 ORDER BY seq', [`r${r}-%`])).rows
        await waitFor(async () => (await rows()).length >= sent.length, `the ${sent.length} events of run ${r} stored`)
        await waitFor(async () => (await bus.backlog(EVENTS_STREAM, 'rules')) === 0, 'nothing left for the worker')
        const got = await rows()
        expect(got.map((x) => x.id)).toEqual(sent.map((ev) => ev.id))
        expect(got.every((x) => Number(x.n) === 1)).toBe(true)
        expect(got.map((x) => x.body)).toEqual(sent)
        stored += sent.length
      }),
      // Each run goes through HTTP, the bus and the worker: a few runs, no shrinking on a failure.
      { numRuns: 40, endOnFailure: true },
    )
    expect(stored).toBeGreaterThan(150)
    expect(rejected).toBeGreaterThan(40)
  }, 120_000)
})
