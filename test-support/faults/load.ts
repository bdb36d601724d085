/**
 * The load of a fault test: a deterministic set of case events in the recent past
 * (deadlines that came due, some met, some missed, a few repeated petitions), and a
 * source that sends them the way a well-behaved business system backfills: a case's
 * history together, in batches, sending again whatever was not stored (503, 429, a
 * reset connection) until every event is accepted or known already. (A history sent
 * piecemeal, with its deadlines long past, would be late by the live rules' lateness
 * rules, and rightly raise cards replay would not: see docs/rules.md, late events.)
 */
import { mulberry32 } from '../../demo/index.ts'
import type { CaseEvent } from '../../common/contract/index.ts'

const DAY = 86_400_000
const DEPTS = ['market', 'housing', 'tax', 'health']

/** faultEvents makes about 5 events per case for `cases` cases, all before `now` by at least a day. */
export function faultEvents(cases: number, now: number, seed = 11): CaseEvent[] {
  const r = mulberry32(seed).next
  const out: CaseEvent[] = []
  let n = 0
  const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')
  for (let i = 0; i < cases; i++) {
    const dept = DEPTS[i % DEPTS.length]!
    const caseId = `F-${i}`
    const t0 = now - (10 + Math.floor(r() * 30)) * DAY - Math.floor(r() * DAY)
    const push = (kind: CaseEvent['kind'], type: string, t: number, attrs?: Record<string, unknown>) => {
      if (t < now - DAY) out.push({ id: `f${n++}`, source: 'hall', kind, type, caseId, dept, at: iso(t), ...(attrs ? { attrs } : {}) })
    }
    const k = r()
    if (k < 0.75) {
      const promised = 2 + Math.floor(r() * 8)
      push('approval', 'submitted', t0, { itemCode: 'F-1' })
      push('approval', 'accepted', t0 + 3_600_000, { itemCode: 'F-1', itemName: '许可', promisedDays: promised, legalDays: 20 + promised, feeStandard: 10 })
      if (r() < 0.15) push('approval', 'fee', t0 + 2 * 3_600_000, { amount: 20 })
      const shape = r()
      if (shape < 0.5) {
        push('approval', 'decided', t0 + DAY, { decision: 'approve' })
        push('approval', 'completed', t0 + DAY + 3_600_000)
      } else if (shape < 0.8) {
        push('approval', 'decided', t0 + (promised + 6) * DAY, { decision: 'approve' })
        push('approval', 'completed', t0 + (promised + 6) * DAY + 3_600_000)
      }
    } else {
      push('petition', 'registered', t0, { petitionerId: `p${Math.floor(r() * 20)}`, subject: '事项' })
      push('petition', 'accepted', t0 + DAY)
      if (r() < 0.5) push('petition', 'replied', t0 + 3 * DAY)
    }
  }
  return out
}

/** byWholeCases packs consecutive events into batches of about `size`, never splitting a case's run of events. */
function byWholeCases(events: readonly CaseEvent[], size: number): CaseEvent[][] {
  const out: CaseEvent[][] = []
  let cur: CaseEvent[] = []
  for (const [i, e] of events.entries()) {
    const sameCase = i > 0 && events[i - 1]!.caseId === e.caseId && events[i - 1]!.kind === e.kind
    if (!sameCase && cur.length >= size) {
      out.push(cur)
      cur = []
    }
    cur.push(e)
  }
  if (cur.length) out.push(cur)
  return out
}

/** SendReport counts what the source saw on the way. */
export interface SendReport {
  requests: number
  resent: number
  statuses: Record<number, number>
}

/**
 * sendAll posts the events in batches of `batch`, sending again until each is
 * `accepted` or `duplicate`; a rejected one fails the test. `pace` pauses between
 * batches so that a fault lands mid-stream.
 */
export async function sendAll(url: string, token: string, events: readonly CaseEvent[], opts: { batch?: number; paceMs?: number; deadlineMs?: number } = {}): Promise<SendReport> {
  const batch = opts.batch ?? 100
  const report: SendReport = { requests: 0, resent: 0, statuses: {} }
  const deadline = Date.now() + (opts.deadlineMs ?? 180_000)
  for (const chunk of byWholeCases(events, batch)) {
    let todo = chunk
    while (todo.length) {
      if (Date.now() > deadline) throw new Error(`the source gave up: ${todo.length} events not stored after ${report.requests} requests`)
      let res: Response | null = null
      try {
        res = await fetch(`${url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(todo),
          signal: AbortSignal.timeout(10_000),
        })
      } catch {
        res = null // the collector is down or restarting
      }
      report.requests++
      const status = res?.status ?? 0
      report.statuses[status] = (report.statuses[status] ?? 0) + 1
      if (!res || (res.status !== 200 && res.status !== 503)) {
        await new Promise((r) => setTimeout(r, res?.status === 429 ? 1000 : 300))
        report.resent += todo.length
        continue
      }
      const body = (await res.json()) as { results: Array<{ index: number; status: string; error?: unknown }> }
      const again: CaseEvent[] = []
      for (const x of body.results) {
        if (x.status === 'rejected') throw new Error(`event ${JSON.stringify(todo[x.index])} rejected: ${JSON.stringify(x.error)}`)
        if (x.status === 'failed') again.push(todo[x.index]!)
      }
      report.resent += again.length
      todo = again
      if (todo.length) await new Promise((r) => setTimeout(r, 300))
    }
    if (opts.paceMs) await new Promise((r) => setTimeout(r, opts.paceMs))
  }
  return report
}
