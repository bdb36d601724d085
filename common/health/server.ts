/**
 * GET /healthz: the same answer on every server of the platform, the components of its
 * process (HealthReport), HTTP 200 when all are ok and 503 otherwise; and a server of
 * /healthz alone, for a process that has no other (the rules, RULES_PORT).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HealthReport } from '../contract/index.ts'
import { sendJson } from '../http/index.ts'
import type { Logger } from '../log/index.ts'

/** HEALTH_PATH is where every server answers with its process's health. */
export const HEALTH_PATH = '/healthz'

/** answerHealth answers a request to HEALTH_PATH: the report for GET and HEAD, 405 otherwise. */
export async function answerHealth(req: IncomingMessage, res: ServerResponse, report: () => Promise<HealthReport>): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD')
    return sendJson(res, 405, { error: 'use GET' })
  }
  const r = await report()
  res.setHeader('cache-control', 'no-store')
  sendJson(res, r.state === 'ok' ? 200 : 503, r)
}

/** HealthServerOptions: where to listen and what to report. */
export interface HealthServerOptions {
  host: string
  /** 0 = a free port */
  port: number
  report: () => Promise<HealthReport>
  log: Logger
}

/** HealthServer is a listening health server. */
export interface HealthServer {
  url: string
  close(): Promise<void>
}

/** startHealthServer listens and serves HEALTH_PATH alone (404 elsewhere). */
export async function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const done = path === HEALTH_PATH ? answerHealth(req, res, opts.report) : Promise.resolve(sendJson(res, 404, { error: `no such endpoint: ${req.method} ${path}; only ${HEALTH_PATH} here` }))
    done.catch((e: unknown) => {
      opts.log.error('health request failed', { error: (e as Error).message })
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, resolve)
  })
  const addr = server.address() as AddressInfo
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
