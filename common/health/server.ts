/**
 * GET /healthz: on every server of the platform, the components of its process, HTTP 200
 * when all are ok and 503 otherwise (in full on the rules' internal server, as a summary
 * elsewhere); and a server of /healthz alone, for a process that has no other (the rules, RULES_PORT).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HealthReport } from '../contract/index.ts'
import { sendJson } from '../http/index.ts'
import type { Logger } from '../log/index.ts'

/** HEALTH_PATH is where every server answers with its process's health. */
export const HEALTH_PATH = '/healthz'

/**
 * answerHealth answers a request to HEALTH_PATH: the report for GET and HEAD, 405
 * otherwise. The servers face departments' systems, browsers and Twilio, so from afar
 * they give each component's state only; host, pid, figures and error texts go to a
 * caller on this machine (loopback, and not through a proxy, which adds
 * X-Forwarded-For), to the rules' internal server (`full`) and to the admin page.
 */
export async function answerHealth(req: IncomingMessage, res: ServerResponse, report: () => Promise<HealthReport>, full = isLocal(req)): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD')
    return sendJson(res, 405, { error: 'use GET' })
  }
  const r = await report()
  res.setHeader('cache-control', 'no-store')
  sendJson(res, r.state === 'ok' ? 200 : 503, full ? r : summaryOf(r))
}

/** isLocal tells a request from this machine, not relayed by a proxy. */
export function isLocal(req: Pick<IncomingMessage, 'socket' | 'headers'>): boolean {
  const peer = req.socket.remoteAddress ?? ''
  const loopback = peer === '::1' || peer.startsWith('127.') || peer.startsWith('::ffff:127.')
  return loopback && req.headers['x-forwarded-for'] === undefined
}

/** HealthSummary is a HealthReport without what only operators should read. */
export interface HealthSummary {
  state: HealthReport['state']
  components: Array<{ component: string; state: HealthReport['state'] }>
}

/** summaryOf keeps each component's name and state. */
export function summaryOf(r: HealthReport): HealthSummary {
  return { state: r.state, components: r.components.map((c) => ({ component: c.component, state: c.state })) }
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
    const done = path === HEALTH_PATH ? answerHealth(req, res, opts.report, true) : Promise.resolve(sendJson(res, 404, { error: `no such endpoint: ${req.method} ${path}; only ${HEALTH_PATH} here` }))
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
