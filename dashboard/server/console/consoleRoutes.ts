/**
 * The consoles' API, mounted as one handler: accounts' sign-in and account
 * administration, then one module per resource of the dashboard — alerts, cases,
 * threads, silences, contacts, the platform's status, the performance figures (../kpi/). Each resource
 * signs its requests in by session and checks them with accounts' `can()`.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { type AttachmentLimits, AttachmentStore, DEFAULT_LIMITS, type ThreadStore } from '../../../alerts/index.ts'
import { type Sessions, signInRoutes, userRoutes } from '../../../accounts/index.ts'
import type { DeptNames, PlatformStatus } from '../../../common/contract/index.ts'
import { isoFromDay } from '../../../common/time/index.ts'
import { defaultScheme, type Registry, type Scheme } from '../../../kpi/index.ts'
import { kpiRoutes } from '../kpi/kpiRoutes.ts'
import { frozenPerformance } from '../public/performance.ts'
import { type PublicDeps, publicRoutes } from '../public/publicRoutes.ts'
import type { Db } from '../../../common/db/index.ts'
import { defaultContext, type RuleContext } from '../../../rules/index.ts'
import { codeKey } from '../public/checkCode.ts'
import { reformRoutes } from '../kpi/reformRoutes.ts'
import { alertRoutes } from './alertRoutes.ts'
import { casePageRoutes } from './casePageRoutes.ts'
import { caseRoutes } from './caseRoutes.ts'
import type { ConsoleAudit } from './consoleAudit.ts'
import { contactRoutes } from './contactRoutes.ts'
import type { ConsoleHandler } from './routeKit.ts'
import { silenceRoutes } from './silenceRoutes.ts'
import { statusRoutes } from './statusRoutes.ts'
import { threadRoutes } from './threadRoutes.ts'

/** ConsoleDeps is what the consoles' API needs; the platform wires it in bin/platform.ts. */
export interface ConsoleDeps {
  db: Db
  /** the process's one thread store (alerts' composeAlerts) */
  threads: ThreadStore
  sessions: Sessions
  /** where rectification attachments are stored (<dataDir>/attachments) */
  attachmentsDir: string
  audit: ConsoleAudit
  /** the platform clock; wall time by default */
  now?: () => number
  /** formats instants in the platform zone; ISO 8601 UTC by default */
  format?: (t: number) => string
  /** the platform zone's IANA name, as `format` writes it (told to browsers in GET /api/v1/me); UTC by default */
  zone?: string
  /** the client address the sign-in throttle counts by; the socket's peer address by default */
  clientIp?: (req: IncomingMessage) => string
  /** per-file and per-submission limits; DEFAULT_LIMITS (10 MB, 5 files) by default */
  limits?: AttachmentLimits
  log?: (m: string) => void
  /** every component's latest status and the dead letters (platformStatus.ts); without it, GET /api/v1/admin/status is not mounted */
  platformStatus?: () => Promise<PlatformStatus>
  /** the rules' context, for the case page's deadline clock; the defaults in `zone` otherwise */
  ctx?: RuleContext
  /** sends a public complaint's event to the collector (public/collectorClient.ts); absent, complaints answer 503 */
  complaints?: PublicDeps['submit']
  /** the departments a complaint may name (the registry's); none otherwise */
  publicDepts?: () => DeptNames
  /** the last frozen month's results for the public page; read from kpi_frozen by default (public/performance.ts) */
  performance?: PublicDeps['performance']
  /** the KPI scheme in force (KPI_SCHEME), which the KPI routes score live figures with; kpi's default scheme otherwise */
  kpiScheme?: Scheme
  /** the department registry: the figures' names and kinds, and only its active departments counted; without it every department, under its code */
  registry?: Registry
  /** the public routes' rate limits; PUBLIC_LIMITS by default */
  publicLimits?: PublicDeps['limits']
  /** the secret the public check codes' key is derived from (the platform's audit key); a random one per process otherwise */
  secret?: string
}

/** consoleRoutes builds the handler of the whole consoles' API; it resolves false for a path none of it owns. */
export function consoleRoutes(deps: ConsoleDeps): ConsoleHandler {
  const { db, sessions, audit, threads } = deps
  const now = deps.now ?? Date.now
  const format = deps.format ?? ((t: number) => new Date(t).toISOString())
  const log = deps.log ?? (() => {})
  const ctx = deps.ctx ?? defaultContext({ zone: deps.zone })
  const clientIp = deps.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown')
  const handlers: ConsoleHandler[] = [
    // No session: the public service page's API.
    publicRoutes({
      db, codeKey: codeKeyOf(deps), now, format, clientIp, dateOf: (t) => isoFromDay(ctx.zone.dayOf(t)), depts: deps.publicDepts ?? (() => ({})),
      submit: deps.complaints, performance: deps.performance ?? frozenPerformance({ db, registry: deps.registry }), limits: deps.publicLimits, log,
    }),
    signInRoutes({ sessions, zone: deps.zone ?? 'UTC', clientIp: deps.clientIp }),
    userRoutes({ db, sessions, audit, format, log }),
    alertRoutes({ db, sessions, format }),
    casePageRoutes({ db, sessions, threads, ctx, now, format, audit, codeKey: codeKeyOf(deps) }),
    caseRoutes({ db, sessions, format, audit }),
    threadRoutes({ threads, sessions, attachments: new AttachmentStore(deps.attachmentsDir, deps.limits ?? DEFAULT_LIMITS), now, format, log }),
    silenceRoutes({ db, sessions, audit, now, format, log }),
    contactRoutes({ db, sessions, audit, now, log }),
    reformRoutes({ db, sessions, ctx, now }),
    ...(deps.platformStatus ? [statusRoutes({ sessions, status: deps.platformStatus })] : []),
    // The figures are read from the database: they answer whether or not the kpi worker runs in this process.
    kpiRoutes({ db, sessions, scheme: deps.kpiScheme ?? defaultScheme(), zone: ctx.zone, registry: deps.registry, now, format }),
  ]
  return async (req, res) => {
    for (const h of handlers) if (await h(req, res)) return true
    return false
  }
}

const processSecret = randomBytes(32).toString('hex')

/** codeKeyOf is the check codes' HMAC key: derived from the platform's secret, so codes survive a restart. */
export function codeKeyOf(deps: Pick<ConsoleDeps, 'secret'>): string {
  return codeKey(deps.secret ?? processSecret)
}
