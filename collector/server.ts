/**
 * The collector's HTTP API: POST /api/v1/events (one event, a JSON array or NDJSON,
 * authenticated by a source's bearer token) and GET /healthz (the components of its
 * process, common/health). It counts the requests it refuses, for its status.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HealthReport } from '../common/contract/index.ts'
import { answerHealth, HEALTH_PATH } from '../common/health/index.ts'
import type { Logger } from '../common/log/index.ts'
import { readBody, type SourceAuth } from '../common/http/index.ts'
import { BatchError, MediaTypeError, parseBatch } from './batch.ts'
import { ingestBatch, type IngestDeps } from './ingest.ts'

/** RETRY_AFTER_S is what a 503 or 429 asks the source to wait before sending again. */
export const RETRY_AFTER_S = 5

/** Backpressure says how far the pipeline lags (events not yet through the rules) and how far it may. */
export interface Backpressure {
  behind(): number
  bound: number
}

export interface CollectorOptions {
  host: string
  port: number
  auth: SourceAuth
  deps: IngestDeps
  maxBatch: number
  maxBodyBytes?: number
  log: Logger
  /** when the pipeline lags more than its bound, new events are refused with 429 until it catches up */
  backpressure?: Backpressure
  /** more handlers by exact path (e.g. Twilio's webhooks); the map may be filled after start */
  routes?: Readonly<Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>>
  /** the health of the components of this process, for GET /healthz; without it, an empty ok report */
  health?: () => Promise<HealthReport>
}

/** Refused counts the requests the collector refused since it started: 429 (back-pressure) and 503 (bus or database unreachable). */
export interface Refused {
  tooMany: number
  unavailable: number
}

/** Collector is a listening collector. */
export interface Collector {
  url: string
  /** refused counts the requests refused since start */
  refused(): Refused
  close(): Promise<void>
}

/** startCollector listens and returns its URL, its refusal counts and a close function. */
export async function startCollector(opts: CollectorOptions): Promise<Collector> {
  const maxBody = opts.maxBodyBytes ?? 32 * 1024 * 1024
  const refused: Refused = { tooMany: 0, unavailable: 0 }
  const health = opts.health ?? (async (): Promise<HealthReport> => ({ state: 'ok', components: [] }))
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.log.error('request failed', { error: (e as Error).message })
      if (!res.headersSent) send(res, 500, { error: 'internal error' })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]
    if (path === HEALTH_PATH) return answerHealth(req, res, health)
    const extra = path ? opts.routes?.[path] : undefined
    if (extra) return extra(req, res)
    if (path !== '/api/v1/events') return send(res, 404, { error: `no such endpoint: ${req.method} ${path}` })
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST' })
    const source = opts.auth.sourceOf(req.headers.authorization)
    if (!source) {
      res.setHeader('WWW-Authenticate', 'Bearer')
      return send(res, 401, { error: 'missing or unknown bearer token: each source sends its own token in "Authorization: Bearer …"' })
    }
    const behind = opts.backpressure?.behind() ?? 0
    if (opts.backpressure && behind > opts.backpressure.bound) {
      res.setHeader('Retry-After', String(RETRY_AFTER_S))
      refused.tooMany++
      return send(res, 429, { error: `the platform is ${behind} events behind (at most ${opts.backpressure.bound}): nothing was stored, send again in ${RETRY_AFTER_S} s` })
    }
    const body = await readBody(req, maxBody)
    if (body === null) return send(res, 413, { error: `the body is larger than ${maxBody} bytes: send smaller batches` })
    let items
    try {
      items = parseBatch(body, req.headers['content-type'])
    } catch (e) {
      if (e instanceof BatchError) return send(res, 400, { error: e.message })
      if (e instanceof MediaTypeError) return send(res, 415, { error: e.message })
      throw e
    }
    if (items.length > opts.maxBatch) return send(res, 413, { error: `${items.length} events in one request; at most ${opts.maxBatch}` })
    const result = await ingestBatch(items, source, opts.deps)
    if (result.rejected || result.failed) opts.log.warn('batch with problems', { source, accepted: result.accepted, rejected: result.rejected, failed: result.failed })
    // 503 tells clients to resend; resending is safe because ingest is idempotent by id.
    if (result.failed) {
      res.setHeader('Retry-After', String(RETRY_AFTER_S))
      refused.unavailable++
    }
    send(res, result.failed ? 503 : 200, result)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, resolve)
  })
  const addr = server.address() as AddressInfo
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${addr.port}`,
    refused: () => ({ ...refused }),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

