/**
 * The alerts server: the alerts process's own HTTP server, so that Twilio's webhooks
 * (delivery reports, replies 确认 <code>) reach the notifier in every layout, whether
 * the alerts run beside the collector or alone (`jiancha alerts`). It serves
 * STATUS_PATH and INBOUND_PATH, and GET /healthz (the components of its process, common/health).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HealthReport } from '../common/contract/index.ts'
import { answerHealth, HEALTH_PATH } from '../common/health/index.ts'
import { sendJson } from '../common/http/index.ts'
import type { Logger } from '../common/log/index.ts'
import { type Handler, INBOUND_PATH, STATUS_PATH } from './sms/webhooks.ts'

/** AlertsServerOptions: where to listen, the webhooks (filled once the notifier runs) and the health report. */
export interface AlertsServerOptions {
  host: string
  /** 0 = a free port */
  port: number
  log: Logger
  /** Twilio's webhooks by path (the notifier's); the map may be filled after start */
  routes: Readonly<Record<string, Handler>>
  /** the health of the components of this process */
  health: () => Promise<HealthReport>
}

/** AlertsServer is a listening alerts server. */
export interface AlertsServer {
  url: string
  close(): Promise<void>
}

/** startAlertsServer listens and returns its URL. */
export async function startAlertsServer(opts: AlertsServerOptions): Promise<AlertsServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.log.error('request failed', { url: req.url, error: (e as Error).message })
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!
    if (path === HEALTH_PATH) return answerHealth(req, res, opts.health)
    const hook = opts.routes[path]
    if (hook) return hook(req, res)
    if (path === STATUS_PATH || path === INBOUND_PATH) {
      return sendJson(res, 404, { error: `no SMS webhooks here: they need SMS_PROVIDER=twilio (or fake) with PUBLIC_BASE_URL set` })
    }
    return sendJson(res, 404, { error: `no such endpoint: ${req.method} ${path}` })
  }

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
