/**
 * startPlatform composes the components over one database and one bus:
 * collector → rules → alerts → dashboard, plus the demo simulator. `jiancha start`
 * runs them all in one process; the component commands run one each.
 */
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Clock, DAY_MS, DemoClock, platformCalendarYears, systemClock } from '../common/time/index.ts'
import type { Config } from '../common/config/index.ts'
import { type Db, keepState } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import { defaultContext, knownEventIds, latestEventAt, parseRulesFile, type RuleContext, rulesProbe, startRulesWorker, UncoveredNotice } from '../rules/index.ts'
import { alertsProbe, cardsOfCases, composeAlerts, DEFAULT_ESCALATION, threadDeadlines, ESCALATION_LIST_NAMES, flagCase, gatewayFromEnv, type Handler, LIVE_SMS, type Notifier, startAlertsServer } from '../alerts/index.ts'
import { auditWriter, collectorSubmitter, dashboardProbe, PUBLIC_SOURCE, platformStatusFeed, startDashboardServer, wallFeed } from '../dashboard/index.ts'
import { clientAddress, SourceAuth, trustedProxies } from '../common/http/index.ts'
import { BacklogGauge, busPublisher, collectorProbe, startCollector } from '../collector/index.ts'
import { HealthBoard, startHealthServer } from '../common/health/index.ts'
import { type DemoAccounts, demoTwilio, ensureDemoAccounts, seedDemoContacts, seedDemoDepartments, startSimulator } from '../demo/index.ts'
import { DeptDirectory } from '../common/departments/index.ts'
import { Sessions } from '../accounts/index.ts'
import { readFileSync } from 'node:fs'
import { defaultScheme, type Freezer, kpiProbe, type KpiWorker, loadScheme, revisionHook, startFreezer, startKpiWorker } from '../kpi/index.ts'
import { auditKeyOf, openInfra, type Infra } from './infra.ts'

export type Part = 'collector' | 'rules' | 'alerts' | 'kpi' | 'dashboard' | 'simulator'

export interface Platform {
  infra: Infra
  clock: Clock
  collectorUrl?: string
  dashboardUrl?: string
  /** the alerts server (Twilio's webhooks, /healthz), when the alerts run here */
  alertsUrl?: string
  /** the rules' server (/healthz), when the rules run here */
  rulesUrl?: string
  /** the kpi component's server (/healthz), when it runs here */
  kpiUrl?: string
  /** the kpi worker and the freezer of closed periods, when they run here */
  kpi?: KpiWorker
  freezer?: Freezer
  /** the demo's sign-ins, when the simulator runs beside the dashboard */
  demoAccounts?: DemoAccounts
  stop(): Promise<void>
}

const STATIC_DIR = fileURLToPath(new URL('../dashboard/web/dist/', import.meta.url))
/** Sources may run a little ahead of us; ten minutes of skew is tolerated. */
const MAX_FUTURE_MS = 10 * 60_000

/** PlatformOptions lets tests bring their own database and clock. */
export interface PlatformOptions {
  /** an open database; the platform then neither opens nor closes one */
  db?: Db
  /** the platform clock; wall time (or the demo time-lapse with the simulator) by default */
  clock?: Clock
  /** the cards' rules context (settings, calendar); the defaults otherwise */
  ctx?: RuleContext
}

/** startPlatform starts the given parts; stop() stops them in reverse order. */
export async function startPlatform(cfg: Config, parts: ReadonlySet<Part>, log: Logger, opts: PlatformOptions = {}): Promise<Platform> {
  const infra = await openInfra(cfg, `jiancha-${[...parts].join('+')}`, log, opts.db)
  const stops: Array<() => Promise<void>> = [() => infra.close()]
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log.error('stop failed', { error: (e as Error).message }))
  }
  try {
    const notice = new UncoveredNotice()
    const rulesText = cfg.rulesFile ? readRulesText(cfg.rulesFile) : undefined
    const ctx =
      opts.ctx ??
      defaultContext({
        zone: cfg.zone,
        years: await platformCalendarYears(infra.db),
        settings: rulesText === undefined ? undefined : parseRulesFile(rulesText, cfg.rulesFile),
        onUncovered: (y) => {
          log.warn(`calendar: no official schedule for ${y}; counting Monday–Friday for it until one is imported (jiancha calendar import)`)
          notice.note(y)
        },
      })
    const format = (t: number) => ctx.zone.format(t)
    const anchor = parts.has('simulator') ? await simAnchor(infra, cfg) : 0
    const clock = opts.clock ?? (parts.has('simulator') ? await demoClock(infra, cfg, anchor, log) : systemClock)
    const platform: Platform = { infra, clock, stop }
    // The health of this process's components: every server's /healthz, and their heartbeats on the bus.
    const board = new HealthBoard({ db: infra.db, bus: infra.bus, log: log.child('health') })
    const health = () => board.report()
    // A component stops reporting before it stops.
    const untilStop = (remove: () => void) => stops.push(async () => remove())

    // The department registry names departments in texts, on the wall and in the consoles.
    if (parts.has('simulator')) await seedDemoDepartments(infra.db, clock.now())
    let departments: DeptDirectory | undefined
    if (parts.has('alerts') || parts.has('dashboard') || parts.has('kpi')) {
      const dir = await DeptDirectory.load(infra.db)
      // Changes made here refresh it at once; this catches those of the CLI and other processes.
      const unwatch = dir.watch(undefined, (e) => log.warn('reading the department registry failed', { error: e.message }))
      stops.push(async () => unwatch())
      departments = dir
    }

    // The alerts of this process, composed in alerts/: one thread store, audited, for
    // the alert service, the notifier and the consoles alike. Twilio's webhooks are
    // served by the alerts' own server, whatever else runs here (and by the collector
    // too when it shares the process). The notifier starts once the collector is up;
    // cards stored before then are picked up by its start-up sweep.
    const alerts = composeAlerts({ db: infra.db, clock, ctx })
    const webhooks: Record<string, Handler> = {}
    let notifier: Notifier | undefined
    if (parts.has('alerts')) {
      const s = alerts.startService({ bus: infra.bus, format, log: log.child('alerts') })
      stops.push(() => s.stop())
      untilStop(board.add(alertsProbe({ db: infra.db, notifier: () => notifier, service: () => s.status() })))
      const srv = await startAlertsServer({ host: cfg.host, port: cfg.alertsPort, log: log.child('alerts'), routes: webhooks, health })
      platform.alertsUrl = srv.url
      stops.push(() => srv.close())
    }
    if (parts.has('rules')) {
      const w = await startRulesWorker({ bus: infra.bus, db: infra.db, ctx, clock, cardsOf: (cases) => cardsOfCases(infra.db, cases), tickMs: cfg.tickMs, settleMs: cfg.settleMs, allowedLatenessMs: cfg.allowedLatenessHours * 3_600_000, uncovered: notice,
        silentHours: cfg.silentHours, rulesFile: rulesText === undefined ? undefined : { path: cfg.rulesFile!, text: rulesText }, log: log.child('rules'), batch: cfg.rulesBatch })
      stops.push(() => w.stop())
      untilStop(board.add(rulesProbe(w)))
      const srv = await startHealthServer({ host: cfg.host, port: cfg.rulesPort, report: health, log: log.child('rules') })
      platform.rulesUrl = srv.url
      stops.push(() => srv.close())
    }
    // The KPI scheme in force: the kpi worker's and freezer's, and the dashboard's KPI routes' (which read the figures wherever the worker runs).
    const kpiScheme = parts.has('kpi') || parts.has('dashboard') ? (cfg.kpiScheme ? { scheme: loadScheme(cfg.kpiScheme), origin: cfg.kpiScheme } : { scheme: defaultScheme(), origin: 'default' }) : undefined
    if (parts.has('kpi')) {
      const scheme = kpiScheme!
      const onFacts = revisionHook({ scheme: scheme.scheme, zone: ctx.zone, registry: departments })
      const threads = cfg.kpiThreads ? { list: (since: number) => threadDeadlines(infra.db, since), ackHours: DEFAULT_ESCALATION.inspectorsAfterHours } : undefined
      const w = await startKpiWorker({ bus: infra.bus, db: infra.db, ctx, scheme, clock, log: log.child('kpi'), refreshMs: cfg.kpiRefreshMs, onFacts, threads })
      platform.kpi = w
      stops.push(() => w.stop())
      const freezer = startFreezer({ db: infra.db, clock, zone: ctx.zone, calendar: ctx.calendar, scheme, graceDays: cfg.kpiGraceDays, registry: departments, log: log.child('kpi') })
      platform.freezer = freezer
      stops.push(() => freezer.stop())
      untilStop(board.add(kpiProbe(w)))
      const srv = await startHealthServer({ host: cfg.host, port: cfg.kpiPort, report: health, log: log.child('kpi') })
      platform.kpiUrl = srv.url
      stops.push(() => srv.close())
    }
    const auth = new SourceAuth(cfg.sources)
    const simToken = randomBytes(24).toString('hex')
    if (parts.has('simulator')) auth.add({ name: 'simulator', token: simToken })
    // Public complaints enter through the collector as source `public`: its configured token, else one of this process.
    const publicToken = cfg.sources.find((x) => x.name === PUBLIC_SOURCE)?.token ?? randomBytes(24).toString('hex')
    if (!cfg.sources.some((x) => x.name === PUBLIC_SOURCE)) auth.add({ name: PUBLIC_SOURCE, token: publicToken })
    if (parts.has('collector')) {
      const backlog = await new BacklogGauge(() => infra.bus.backlog('JIANCHA_EVENTS', 'rules'), 1000, (e) => log.child('collector').warn('cannot read the rules backlog', { error: e.message })).start()
      stops.push(async () => backlog.stop())
      const c = await startCollector({
        host: cfg.host,
        port: cfg.collectorPort,
        auth,
        maxBatch: cfg.maxBatch,
        log: log.child('collector'),
        routes: webhooks,
        health,
        backpressure: cfg.maxBacklog ? { behind: () => backlog.current, bound: cfg.maxBacklog } : undefined,
        deps: {
          now: () => clock.now(),
          maxFutureMs: MAX_FUTURE_MS,
          publish: busPublisher(infra.bus),
          seen: (source, ids) => knownEventIds(infra.db, source, ids),
        },
      })
      platform.collectorUrl = c.url
      stops.push(() => c.close())
      untilStop(board.add(collectorProbe({ backlog: () => backlog.current, maxBacklog: cfg.maxBacklog, refused: () => c.refused() })))
    }
    if (parts.has('alerts')) {
      const demo = parts.has('simulator')
      const sms = await gatewayFromEnv(smsEnv(cfg, demo, platform.alertsUrl), log.child('sms'), demoTwilio)
      if (demo) await seedDemoContacts(infra.db)
      const n = alerts.startNotifier({ log: log.child('notify'), sms, deptName: (code) => departments!.nameOf(code), onSmsChange: (id) => infra.bus.publishLive(LIVE_SMS, { id }) })
      notifier = n
      Object.assign(webhooks, n.webhooks)
      stops.push(async () => {
        notifier = undefined
        await n.stop()
      })
      await n.sweep()
    }
    if (parts.has('dashboard')) {
      const proxies = cfg.trustedProxies.length ? trustedProxies(cfg.trustedProxies) : null
      const audit = auditWriter(infra.db, () => clock.now())
      // Every component's heartbeat, for the admin page (platform status); this process's own asked directly.
      const statuses = platformStatusFeed({ bus: infra.bus, local: health })
      stops.push(async () => statuses.stop())
      const d = await startDashboardServer({
        host: cfg.host,
        port: cfg.dashboardPort,
        source: wallFeed(infra.db, infra.bus, clock, format, (m) => log.child('dashboard').warn(m)),
        staticDir: STATIC_DIR,
        // Beside the registry's names, the contact lists that escalation texts beyond the department.
        deptNames: ESCALATION_LIST_NAMES,
        departments,
        log: (m) => log.child('dashboard').info(m),
        health,
        flags: {
          auth: new SourceAuth(cfg.inspectors),
          flag: (req) => flagCase({ db: infra.db, bus: infra.bus, clock, format, settingsVersion: ctx.settings.version }, req),
        },
        sessions: new Sessions(infra.db, { secureCookies: cfg.secureCookies, audit }),
        console: {
          db: infra.db,
          threads: alerts.threads,
          attachmentsDir: resolve(cfg.dataDir, 'attachments'),
          audit,
          now: () => clock.now(),
          format,
          zone: ctx.zone.name,
          clientIp: (req) => clientAddress(req, proxies),
          log: (m) => log.child('dashboard').info(m),
          platformStatus: () => statuses.read(),
          ctx,
          kpiScheme: kpiScheme?.scheme,
          secret: auditKeyOf(cfg, (m) => log.warn(m)),
          complaints: platform.collectorUrl ? collectorSubmitter(platform.collectorUrl, publicToken) : undefined,
        },
      })
      platform.dashboardUrl = d.url
      stops.push(() => d.close())
      untilStop(board.add(dashboardProbe(d)))
      if (parts.has('simulator')) platform.demoAccounts = await ensureDemoAccounts(infra.db, cfg.dataDir)
    }
    if (parts.has('simulator')) {
      if (!platform.collectorUrl) throw new Error('the simulator needs the collector in the same process')
      const resumeFrom = await lastSimulated(infra)
      const sim = startSimulator({
        url: platform.collectorUrl,
        token: simToken,
        clock,
        seed: cfg.simSeed,
        simStart: anchor,
        ratePerDay: cfg.simRatePerDay,
        resumeFrom: resumeFrom ?? undefined,
        log: (m) => log.child('simulator').info(m),
      })
      stops.push(() => sim.stop())
    }
    // Stopped first: no heartbeat reads a component being stopped.
    board.start()
    stops.push(async () => board.stop())
    return platform
  } catch (e) {
    await stop()
    throw e
  }
}

/** smsEnv gives the SMS settings; the demo texts through a built-in fake Twilio that calls back our alerts server. */
function smsEnv(cfg: Config, demo: boolean, alertsUrl: string | undefined): Record<string, string | undefined> {
  const provider = cfg.smsProvider ?? (demo ? 'fake' : 'console')
  return {
    SMS_PROVIDER: provider,
    TWILIO_BASE_URL: cfg.twilioBaseUrl,
    TWILIO_ACCOUNT_SID: cfg.twilioAccountSid,
    TWILIO_AUTH_TOKEN: cfg.twilioAuthToken,
    TWILIO_FROM: cfg.twilioFrom,
    TWILIO_MESSAGING_SERVICE_SID: cfg.twilioMessagingServiceSid,
    // A fake Twilio runs on this machine, so it can call our alerts server back directly.
    PUBLIC_BASE_URL: cfg.publicBaseUrl ?? (provider === 'fake' ? alertsUrl : undefined),
  }
}

function readRulesText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    throw new Error(`RULES_FILE: cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
}

/** demoClock resumes the time-lapse where the last run's simulator stopped. */
async function demoClock(infra: Infra, cfg: Config, anchor: number, log: Logger): Promise<DemoClock> {
  const from = (await lastSimulated(infra)) ?? anchor
  log.info(`demo time-lapse: ${cfg.simSpeed}× from ${new Date(from).toISOString()} until it catches up with now`)
  return new DemoClock(from, cfg.simSpeed)
}

/**
 * The simulated city starts `simDaysBack` days before the first start and stays
 * anchored there, so a restarted simulator regenerates exactly the same cases.
 */
async function simAnchor(infra: Infra, cfg: Config): Promise<number> {
  const anchor = await keepState(infra.db, `simulator.anchor.${cfg.simSeed}`, () => Math.floor((Date.now() - cfg.simDaysBack * DAY_MS) / DAY_MS) * DAY_MS)
  return Number(anchor)
}

/** lastSimulated is the instant of the simulator's latest event, where a restarted demo resumes. */
function lastSimulated(infra: Infra): Promise<number | null> {
  return latestEventAt(infra.db, 'simulator')
}
