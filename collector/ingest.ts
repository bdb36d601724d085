/**
 * ingestBatch validates each item of a request and publishes the valid ones to the
 * bus, known by their source and id (an id is unique at its source only, contract
 * v1.1), stamped with the instant the collector took them. Each item gets its own
 * verdict: accepted, duplicate, rejected (with field and reason) or failed (bus
 * trouble; resend).
 */
import { type CaseEvent, validateEvent } from '../common/contract/index.ts'
import type { BatchItem } from './batch.ts'

export type ItemStatus = 'accepted' | 'duplicate' | 'rejected' | 'failed'

/** ItemResult is the verdict on one item of a batch. */
export interface ItemResult {
  index: number
  id?: string
  status: ItemStatus
  error?: { field: string; message: string }
}

/** BatchResult is the response body of POST /api/v1/events. */
export interface BatchResult {
  results: ItemResult[]
  accepted: number
  duplicate: number
  rejected: number
  failed: number
}

/** IngestDeps are the collector's collaborators. */
export interface IngestDeps {
  /**
   * publishes one event taken at `receivedAt` (platform clock); duplicate = the bus had
   * this source's id already. It throws a PermanentError for an event the bus can never
   * take (then the event is rejected), anything else for trouble that resending may cure.
   */
  publish(ev: CaseEvent, receivedAt: number): Promise<{ duplicate: boolean }>
  /** the ids of this source among these that are already stored (dedup beyond the bus window); optional */
  seen?(source: string, ids: string[]): Promise<Set<string>>
  /** platform clock, epoch ms */
  now(): number
  /** how far in the future an event's `at` may lie (clock skew between systems) */
  maxFutureMs: number
}

/** ingestBatch judges and publishes a batch from an authenticated source. */
export async function ingestBatch(items: BatchItem[], source: string, deps: IngestDeps): Promise<BatchResult> {
  const results: ItemResult[] = []
  const valid: Array<{ r: ItemResult; ev: CaseEvent }> = []
  const inBatch = new Set<string>()
  const now = deps.now()
  for (const item of items) {
    if ('error' in item) {
      results.push({ index: item.index, status: 'rejected', error: { field: '(event)', message: item.error } })
      continue
    }
    const v = validateEvent(item.value)
    const id = idOf(item.value)
    if (!v.ok) {
      results.push({ index: item.index, id, status: 'rejected', error: { field: v.field, message: v.message } })
      continue
    }
    const ev = v.event
    const r: ItemResult = { index: item.index, id: ev.id, status: 'accepted' }
    results.push(r)
    if (ev.source !== source) {
      Object.assign(r, { status: 'rejected', error: { field: 'source', message: `must be "${source}", the source this token belongs to` } })
    } else if (Date.parse(ev.at) > now + deps.maxFutureMs) {
      Object.assign(r, { status: 'rejected', error: { field: 'at', message: 'lies in the future: an event is reported after it happens' } })
    } else if (inBatch.has(ev.id)) {
      r.status = 'duplicate'
    } else {
      inBatch.add(ev.id)
      valid.push({ r, ev })
    }
  }
  let seen: Set<string>
  try {
    seen = deps.seen && valid.length ? await deps.seen(source, valid.map((x) => x.ev.id)) : new Set<string>()
  } catch (e) {
    // Without the store of ids nothing can be told new from resent: store nothing, ask for all again.
    for (const { r } of valid) Object.assign(r, { status: 'failed', error: { field: '(database)', message: `not stored, send again: ${(e as Error).message}` } })
    return tally(results)
  }
  // Publishing concurrently keeps a big batch fast; the client sends in order, so order holds.
  await Promise.all(
    valid.map(async ({ r, ev }) => {
      if (seen.has(ev.id)) {
        r.status = 'duplicate'
        return
      }
      try {
        const ack = await deps.publish(ev, now)
        if (ack.duplicate) r.status = 'duplicate'
      } catch (e) {
        if (e instanceof PermanentError) Object.assign(r, { status: 'rejected', error: { field: '(event)', message: e.message } })
        else Object.assign(r, { status: 'failed', error: { field: '(bus)', message: `not stored, send again: ${(e as Error).message}` } })
      }
    }),
  )
  return tally(results)
}

/** PermanentError is an event that can never be stored as it is (too large for the bus, say): resending cannot help. */
export class PermanentError extends Error {}

function tally(results: ItemResult[]): BatchResult {
  const count = (s: ItemStatus) => results.filter((x) => x.status === s).length
  return { results, accepted: count('accepted'), duplicate: count('duplicate'), rejected: count('rejected'), failed: count('failed') }
}

function idOf(v: unknown): string | undefined {
  const id = (v as { id?: unknown } | null)?.id
  return typeof id === 'string' ? id : undefined
}
