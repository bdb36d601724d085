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
import { defaultContext, knownEventIds, latestEventAt, parseRulesFile, type RuleContext, startRulesWorker, UncoveredNotice } from '../rules/index.ts'
import { auditTransition, cardsOfCases, DEFAULT_ESCALATION, ESCALATION_DEPTS, flagCase, gatewayFromEnv, type Handler, LIVE_SMS, type Notifier, rectificationDeadline, startAlertService, startNotifier, ThreadStore } from '../alerts/index.ts'
import { auditWriter, startDashboardServer, wallFeed } from '../dashboard/index.ts'
import { SourceAuth } from '../common/http/index.ts'
import { BacklogGauge, busPublisher, startCollector } from '../collector/index.ts'
import { type DemoAccounts, demoTwilio, DEPARTMENTS, ensureDemoAccounts, seedDemoContacts, startSimulator } from '../demo/index.ts'
import { Sessions } from '../accounts/index.ts'
import { readFileSync } from 'node:fs'
import { openInfra, type Infra } from './infra.ts'

export type Part = 'collector' | 'rules' | 'alerts' | 'dashboard' | 'simulator'

export interface Platform {
  infra: Infra
  clock: Clock
  collectorUrl?: string
  dashboardUrl?: string
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

    // The notifier starts once the collector (which carries Twilio's webhooks) is up;
    // cards stored before then are picked up by its start-up sweep.
    let notifier: Notifier | undefined
    const webhooks: Record<string, Handler> = {}
    if (parts.has('alerts')) {
      const s = startAlertService({ bus: infra.bus, db: infra.db, clock, format, log: log.child('alerts'), onStored: (card) => notifier?.push(card) })
      stops.push(() => s.stop())
    }
    if (parts.has('rules')) {
      const w = await startRulesWorker({ bus: infra.bus, db: infra.db, ctx, clock, cardsOf: (cases) => cardsOfCases(infra.db, cases), tickMs: cfg.tickMs, settleMs: cfg.settleMs, allowedLatenessMs: cfg.allowedLatenessHours * 3_600_000, uncovered: notice,
        silentHours: cfg.silentHours, rulesFile: rulesText === undefined ? undefined : { path: cfg.rulesFile!, text: rulesText }, log: log.child('rules') })
      stops.push(() => w.stop())
    }
    const auth = new SourceAuth(cfg.sources)
    const simToken = randomBytes(24).toString('hex')
    if (parts.has('simulator')) auth.add({ name: 'simulator', token: simToken })
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
    }
    if (parts.has('alerts')) {
      const demo = parts.has('simulator')
      const sms = await gatewayFromEnv(smsEnv(cfg, demo, platform.collectorUrl), log.child('sms'), demoTwilio)
      if (demo) await seedDemoContacts(infra.db)
      const n = startNotifier({ db: infra.db, clock, log: log.child('notify'), ctx, sms, onSmsChange: (id) => infra.bus.publishLive(LIVE_SMS, { id }) })
      Object.assign(webhooks, n.webhooks)
      notifier = n
      stops.push(() => n.stop())
      await n.sweep()
    }
    if (parts.has('dashboard')) {
      const deptNames = {
        ...Object.fromEntries(DEPARTMENTS.map((d) => [d.code, { 'zh-CN': d.name['zh-CN'], en: d.name.en }])),
        // The contact lists that escalation texts beyond the department (alerts/notifier.ts).
        [ESCALATION_DEPTS.inspectors]: { 'zh-CN': '纪检监察室', en: 'Discipline inspection office' },
        [ESCALATION_DEPTS.leaders]: { 'zh-CN': '分管领导', en: 'Leaders in charge' },
      }
      const audit = auditWriter(infra.db, () => clock.now())
      // One ThreadStore per process: the notifier's when alerts run here, so SMS and console share it.
      const threads =
        notifier?.threads ??
        new ThreadStore({ db: infra.db, clock, onTransition: auditTransition, rectificationDue: (ackAt) => rectificationDeadline(ackAt, DEFAULT_ESCALATION, ctx) })
      const d = await startDashboardServer({
        host: cfg.host,
        port: cfg.dashboardPort,
        source: wallFeed(infra.db, infra.bus, clock, format, (m) => log.child('dashboard').warn(m)),
        staticDir: STATIC_DIR,
        deptNames,
        log: (m) => log.child('dashboard').info(m),
        flags: {
          auth: new SourceAuth(cfg.inspectors),
          flag: (req) => flagCase({ db: infra.db, bus: infra.bus, clock, format, settingsVersion: ctx.settings.version }, req),
        },
        sessions: new Sessions(infra.db, { secureCookies: cfg.secureCookies, audit }),
        console: {
          db: infra.db,
          threads,
          attachmentsDir: resolve(cfg.dataDir, 'attachments'),
          audit,
          now: () => clock.now(),
          format,
          zone: ctx.zone.name,
          log: (m) => log.child('dashboard').info(m),
        },
      })
      platform.dashboardUrl = d.url
      stops.push(() => d.close())
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
    return platform
  } catch (e) {
    await stop()
    throw e
  }
}

/** smsEnv gives the SMS settings; the demo texts through a built-in fake Twilio that calls back our collector. */
function smsEnv(cfg: Config, demo: boolean, collectorUrl: string | undefined): Record<string, string | undefined> {
  const provider = cfg.smsProvider ?? (demo ? 'fake' : 'console')
  return {
    SMS_PROVIDER: provider,
    TWILIO_BASE_URL: cfg.twilioBaseUrl,
    TWILIO_ACCOUNT_SID: cfg.twilioAccountSid,
    TWILIO_AUTH_TOKEN: cfg.twilioAuthToken,
    TWILIO_FROM: cfg.twilioFrom,
    TWILIO_MESSAGING_SERVICE_SID: cfg.twilioMessagingServiceSid,
    // A fake Twilio runs here, so it can call our collector back directly.
    PUBLIC_BASE_URL: cfg.publicBaseUrl ?? (provider === 'fake' ? collectorUrl : undefined),
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
