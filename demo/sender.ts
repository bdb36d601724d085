/**
 * sendEvents posts events to the collector (POST {url}/api/v1/events) in batches.
 * The collector may not be up yet, so network errors, 429 and 5xx are retried with
 * backoff until they succeed or the caller aborts; a 4xx is logged and counted as
 * failed. Every event ends up in exactly one count: nothing is dropped silently.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { CaseEvent } from '../common/contract/index.ts'

/** MAX_BATCH is the most events one request carries. */
export const MAX_BATCH = 500

/** SendCounts tallies events by outcome; sent = accepted + duplicate + rejected + failed. */
export interface SendCounts {
  sent: number
  accepted: number
  duplicate: number
  rejected: number
  /** Events the collector refused as a batch (4xx) or did not report on. */
  failed: number
}

/** SenderOptions says where to send and how to retry. */
export interface SenderOptions {
  url: string
  token: string
  /** Events per request, at most MAX_BATCH (the default). */
  batchSize?: number
  /** First retry delay; it doubles per attempt up to retryMaxMs. */
  retryBaseMs?: number
  retryMaxMs?: number
  /** Aborting stops retries: sendEvents then rejects with the abort reason. */
  signal?: AbortSignal
  log?: (m: string) => void
  /** Called after each batch with that batch's counts, so progress survives an abort. */
  onBatch?: (c: SendCounts) => void
}

/** CollectorResponse is the collector's answer to a batch. */
export interface CollectorResponse {
  results?: { id: string; status: 'accepted' | 'duplicate' | 'rejected'; error?: { field: string; message: string } }[]
  accepted?: number
  duplicate?: number
  rejected?: number
}

/** zeroCounts returns empty counts. */
export function zeroCounts(): SendCounts {
  return { sent: 0, accepted: 0, duplicate: 0, rejected: 0, failed: 0 }
}

/** addCounts adds b into a. */
export function addCounts(a: SendCounts, b: SendCounts): SendCounts {
  a.sent += b.sent
  a.accepted += b.accepted
  a.duplicate += b.duplicate
  a.rejected += b.rejected
  a.failed += b.failed
  return a
}

/** sendEvents posts events in order, batch by batch, and returns the total counts. */
export async function sendEvents(events: readonly CaseEvent[], opts: SenderOptions): Promise<SendCounts> {
  const size = Math.min(MAX_BATCH, Math.max(1, opts.batchSize ?? MAX_BATCH))
  const total = zeroCounts()
  for (let i = 0; i < events.length; i += size) {
    const c = await postBatch(events.slice(i, i + size), opts)
    addCounts(total, c)
    opts.onBatch?.(c)
  }
  return total
}

/** postBatch posts one batch, retrying while the collector is unreachable or failing. */
export async function postBatch(batch: readonly CaseEvent[], opts: SenderOptions): Promise<SendCounts> {
  const log = opts.log ?? ((m: string) => console.error(m))
  const endpoint = `${opts.url.replace(/\/+$/, '')}/api/v1/events`
  const base = opts.retryBaseMs ?? 500
  const max = opts.retryMaxMs ?? 15_000
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted()
    let problem: string
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
        body: JSON.stringify(batch),
        signal: opts.signal,
      })
      const text = await res.text()
      if (res.ok) return countResults(batch, text, log)
      if (res.status !== 429 && res.status < 500) {
        // A 4xx will not heal by itself (bad token, malformed batch): say so loudly, count, move on.
        log(`simulator: collector refused a batch of ${batch.length} events: HTTP ${res.status} ${snippet(text)}`)
        return { ...zeroCounts(), sent: batch.length, failed: batch.length }
      }
      problem = `HTTP ${res.status} ${snippet(text)}`
    } catch (e) {
      if (opts.signal?.aborted) throw opts.signal.reason
      problem = (e as Error).cause ? String((e as Error).cause) : String(e)
    }
    const wait = Math.min(max, base * 2 ** (attempt - 1))
    log(`simulator: collector at ${endpoint} not ready (${problem}); retry ${attempt} in ${wait} ms`)
    await sleep(wait, undefined, { signal: opts.signal }).catch((e: unknown) => {
      // Surface the caller's reason, not node's generic AbortError.
      throw opts.signal?.aborted ? opts.signal.reason : e
    })
  }
}

/** countResults reads the collector's per-event answers; events it did not report on count as failed. */
function countResults(batch: readonly CaseEvent[], text: string, log: (m: string) => void): SendCounts {
  const c: SendCounts = { ...zeroCounts(), sent: batch.length }
  let body: CollectorResponse
  try {
    body = JSON.parse(text) as CollectorResponse
  } catch {
    log(`simulator: collector answered a batch of ${batch.length} with something that is not JSON: ${snippet(text)}`)
    return { ...c, failed: batch.length }
  }
  if (Array.isArray(body.results)) {
    const rejected: string[] = []
    for (const r of body.results) {
      if (r.status === 'accepted' || r.status === 'duplicate') c[r.status]++
      else if (r.status === 'rejected') {
        c.rejected++
        rejected.push(`${r.id} (${r.error?.field ?? '?'}: ${r.error?.message ?? 'no reason'})`)
      }
    }
    // Bounded: a broken generator must not flood the log with thousands of lines.
    if (rejected.length) log(`simulator: collector rejected ${rejected.length} events: ${rejected.slice(0, 5).join('; ')}${rejected.length > 5 ? '; …' : ''}`)
  } else {
    c.accepted = body.accepted ?? 0
    c.duplicate = body.duplicate ?? 0
    c.rejected = body.rejected ?? 0
  }
  c.failed = Math.max(0, batch.length - c.accepted - c.duplicate - c.rejected)
  if (c.failed) log(`simulator: collector reported on ${batch.length - c.failed} of ${batch.length} events; counting ${c.failed} as failed`)
  return c
}

function snippet(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
