/**
 * A stand-in for the collector's HTTP API in tests: it parses each batch, remembers
 * ids to answer duplicates, and can be scripted to fail or to reject some events.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CaseEvent } from '../../common/contract/index.ts'

/** Scripted overrides one request's answer; return undefined to answer normally. */
export type Scripted = (request: number, batch: CaseEvent[]) => { status: number; body?: string } | undefined

/** FakeCollectorOptions scripts the fake. */
export interface FakeCollectorOptions {
  /** Listen on this port (default: any free port). */
  port?: number
  script?: Scripted
  /** Reject an event with this field and message instead of accepting it. */
  reject?: (e: CaseEvent) => { field: string; message: string } | null
  /** Delay every answer by this many ms (to observe overlapping requests). */
  delayMs?: number
}

/** FakeCollector is a running fake with what it has seen. */
export interface FakeCollector {
  url: string
  /** Every request's batch, in order of arrival. */
  batches: CaseEvent[][]
  /** Authorization headers seen. */
  auth: string[]
  /** Ids stored (accepted), in order. */
  stored: string[]
  /** Most requests ever in progress at once. */
  maxInFlight: number
  close(): Promise<void>
}

/** startFakeCollector listens on localhost and answers POST /api/v1/events. */
export async function startFakeCollector(opts: FakeCollectorOptions = {}): Promise<FakeCollector> {
  const seen = new Set<string>()
  let inFlight = 0
  const fake: FakeCollector = { url: '', batches: [], auth: [], stored: [], maxInFlight: 0, close: async () => {} }
  const server: Server = createServer(async (req, res) => {
    inFlight++
    fake.maxInFlight = Math.max(fake.maxInFlight, inFlight)
    try {
      const batch = JSON.parse(await readBody(req)) as CaseEvent[]
      if (req.method !== 'POST' || req.url !== '/api/v1/events') throw new Error(`unexpected ${req.method} ${req.url}`)
      fake.batches.push(batch)
      fake.auth.push(req.headers.authorization ?? '')
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs))
      const scripted = opts.script?.(fake.batches.length, batch)
      if (scripted) {
        res.writeHead(scripted.status, { 'content-type': 'application/json' }).end(scripted.body ?? '{"error":"scripted"}')
        return
      }
      const results = batch.map((e) => {
        const error = opts.reject?.(e)
        if (error) return { id: e.id, status: 'rejected' as const, error }
        if (seen.has(e.id)) return { id: e.id, status: 'duplicate' as const }
        seen.add(e.id)
        fake.stored.push(e.id)
        return { id: e.id, status: 'accepted' as const }
      })
      const n = (s: string) => results.filter((r) => r.status === s).length
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ results, accepted: n('accepted'), duplicate: n('duplicate'), rejected: n('rejected') }))
    } catch (e) {
      res.writeHead(400).end(String(e))
    } finally {
      inFlight--
    }
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  fake.close = () => new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
  return fake
}

/** freePort returns a port that nothing listens on (just now). */
export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as AddressInfo).port
  await new Promise((resolve) => s.close(resolve))
  return port
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
