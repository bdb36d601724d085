/**
 * startDashboardServer: the wall's HTTP + Socket.IO listener. Plain node:http with
 * Socket.IO attached; routes live in httpRoutes.ts (the consoles' API in
 * console/consoleRoutes.ts, one module per resource), live pushes in liveRelay.ts.
 * Everything but the SPA's files and /healthz needs a signed-in session.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { dropEndedSessions, requireSignIn, type Sessions } from '../../accounts/index.ts'
import { consoleRoutes, type ConsoleDeps } from './console/consoleRoutes.ts'
import { departmentRoutes } from './console/departmentRoutes.ts'
import { handleRequest, type FlagRoute, type RouteDeps } from './httpRoutes.ts'
import { startLiveRelay } from './liveRelay.ts'
import type { DeptNames, HealthReport } from '../../common/contract/index.ts'
import type { DeptDirectory } from '../../common/departments/index.ts'
import type { DashboardSource } from './source.ts'

/** DashboardServerOptions configures startDashboardServer. */
export interface DashboardServerOptions {
  host: string
  /** 0 picks a free port; the real one is in the returned url. */
  port: number
  source: DashboardSource
  /** The built SPA (dashboard/web/dist). */
  staticDir: string
  /** names beside the registry's: the platform's own contact lists (with `departments`, their codes cannot be registered) */
  deptNames?: DeptNames
  /**
   * the department registry: its names join deptNames in GET /api/v1/depts, each change
   * tells the walls (Socket.IO `depts`) to reload them, and with the console mounted
   * administrators manage it (/api/v1/departments)
   */
  departments?: DeptDirectory
  log?: (m: string) => void
  /** How often the platform clock is pushed; 2 s by default. */
  clockIntervalMs?: number
  /** How often the event rate and last event are pushed to walls of every department; 30 s by default. */
  pulseIntervalMs?: number
  /** Inspectors' flags (POST /api/v1/flags); without it that route answers 404. */
  flags?: FlagRoute
  /** Who is signed in. The wall's REST routes and every Socket.IO connection need a session. */
  sessions: Sessions
  /** The consoles' API (sign-in, alerts, threads, silences, contacts); absent: not mounted. */
  console?: Omit<ConsoleDeps, 'sessions'>
  /** How often sockets of ended sessions (signed out, expired, disabled) are dropped; 60 s by default. */
  sessionCheckMs?: number
  /** The health of the components of this process, for GET /healthz. */
  health?: () => Promise<HealthReport>
}

/** DashboardServer is a running dashboard server. */
export interface DashboardServer {
  url: string
  /** disconnectClients drops every Socket.IO client (they reconnect and resync). */
  disconnectClients(): void
  /** sockets counts the Socket.IO clients connected now. */
  sockets(): number
  close(): Promise<void>
}

/** startDashboardServer listens and resolves once the port is bound. */
export async function startDashboardServer(opts: DashboardServerOptions): Promise<DashboardServer> {
  const log = opts.log ?? ((m: string) => console.log(m))
  const fixed = opts.deptNames ?? {}
  const deptNames = opts.departments ? () => ({ ...opts.departments!.names(), ...fixed }) : () => fixed
  const deps: RouteDeps = { source: opts.source, staticDir: opts.staticDir, deptNames, log, flags: opts.flags, sessions: opts.sessions, health: opts.health }
  if (opts.console) deps.console = mountConsole({ log, ...opts.console, sessions: opts.sessions }, opts.departments, fixed)
  const http = createServer((req, res) => void handleRequest(deps, req, res))
  // serveClient off: the wall bundles socket.io-client itself, nothing else needs it.
  const io = new Server(http, { serveClient: false })
  requireSignIn(io, opts.sessions)
  const stopRelay = startLiveRelay(io, opts.source, { clockIntervalMs: opts.clockIntervalMs ?? 2000, log, pulseIntervalMs: opts.pulseIntervalMs })
  // The names are not secret (GET /api/v1/depts gives them to every reader): each wall just reloads them.
  const stopDepts = opts.departments?.onChange(() => void io.emit('depts', {}))
  // A socket outlives the request that opened it: sign-out and expiry must reach it too.
  const sessionCheck = setInterval(() => {
    dropEndedSessions(io, opts.sessions).then(
      (n) => n && log(`dashboard: dropped ${n} socket(s) of ended sessions`),
      (e: unknown) => log(`dashboard: session check failed: ${(e as Error).message}`),
    )
  }, opts.sessionCheckMs ?? 60_000)
  sessionCheck.unref()

  await new Promise<void>((ok, fail) => {
    http.once('error', fail)
    http.listen(opts.port, opts.host, () => {
      http.off('error', fail)
      ok()
    })
  })
  const url = serverUrl(http.address() as AddressInfo)
  log(`dashboard: listening on ${url}`)

  let closing: Promise<void> | undefined
  return {
    url,
    disconnectClients: () => void io.disconnectSockets(true),
    sockets: () => io.of('/').sockets.size,
    close: () =>
      (closing ??= (async () => {
        stopRelay()
        stopDepts?.()
        clearInterval(sessionCheck)
        io.disconnectSockets(true)
        const done = io.close()
        // A stuck keep-alive request must not hold close() open for good.
        const force = setTimeout(() => http.closeAllConnections(), 1000)
        await done
        clearTimeout(force)
      })()),
  }
}

/** mountConsole chains the department administration before the consoles' API, over one Sessions. */
function mountConsole(c: ConsoleDeps, directory: DeptDirectory | undefined, lists: DeptNames): NonNullable<RouteDeps['console']> {
  const depts = directory ? departmentRoutes({ db: c.db, sessions: c.sessions, directory, lists, now: c.now, format: c.format, log: c.log }) : async () => false
  // The complaint form names the registry's departments; the figures count its active ones.
  const rest = consoleRoutes({ publicDepts: directory ? () => directory.names() : undefined, registry: directory, ...c })
  return async (req, res) => (await depts(req, res)) || rest(req, res)
}

/** serverUrl turns a bound address into a URL a browser on this host can open. */
export function serverUrl(addr: AddressInfo): string {
  const wildcard = addr.address === '0.0.0.0' || addr.address === '::'
  if (addr.address.includes(':')) {
    return `http://[${wildcard ? '::1' : addr.address}]:${addr.port}`
  }
  return `http://${wildcard ? '127.0.0.1' : addr.address}:${addr.port}`
}
