/**
 * HealthBoard is the health of one process: the connections its components share (the
 * database, the bus), watched once for all of them, and each component's own report.
 * It answers /healthz (report) and, while started, sends each component's status as a
 * heartbeat on the live topic LIVE_STATUS every few seconds, so that the dashboard
 * hears every process of the platform. A lost connection is logged once per outage,
 * and the board notices by itself when it is back.
 */
import type { BusConnection } from '../bus/index.ts'
import { type ComponentDetails, type ComponentName, COMPONENTS, type ComponentStatus, type HealthReport, type StatusProblem } from '../contract/index.ts'
import type { Queryable } from '../db/index.ts'
import type { Logger } from '../log/index.ts'
import { ConnectionWatch } from './connection.ts'
import { probeDb } from './probe.ts'
import { processView } from './process.ts'
import { judge, worstState } from './state.ts'

/** LIVE_STATUS is the live topic of the components' heartbeats. */
export const LIVE_STATUS = 'status'

/** STATUS_EVERY_MS is how often each component sends its status. */
export const STATUS_EVERY_MS = 5000

/** DB_PROBE_TIMEOUT_MS is how long the database may take to answer before it counts as down. */
export const DB_PROBE_TIMEOUT_MS = 5000

/** ComponentProbe is what a component reports beyond its connections: its details, and the problems they show. */
export interface ComponentProbe<C extends ComponentName = ComponentName> {
  component: C
  /** details must not reject: a part it cannot read is reported as such within them */
  details(): ComponentDetails[C] | Promise<ComponentDetails[C]>
  /** problems judges the details at `now` (epoch ms, wall time) */
  problems(d: ComponentDetails[C], now: number): StatusProblem[]
}

/** AnyProbe is the probe of any one component. */
export type AnyProbe = { [C in ComponentName]: ComponentProbe<C> }[ComponentName]

/** HealthBoardOptions are what a board watches and where it says so. */
export interface HealthBoardOptions {
  db: Queryable
  bus: { readonly connection: BusConnection; publishLive(topic: string, data: unknown): void }
  log: Logger
  /** see DB_PROBE_TIMEOUT_MS */
  probeTimeoutMs?: number
  /** wall time; Date.now by default */
  now?: () => number
}

/** HealthBoard gathers the status of the components of one process. */
export class HealthBoard {
  // Held loosely typed: each probe's details go only to its own problems().
  private readonly probes: ComponentProbe[] = []
  private readonly dbWatch: ConnectionWatch
  private readonly busWatch: ConnectionWatch
  private readonly now: () => number
  private sampling: Promise<HealthReport> | null = null
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly opts: HealthBoardOptions) {
    this.now = opts.now ?? Date.now
    const impact = () => (this.probes.length ? `${this.probes.map((p) => p.component).join(', ')} down until it answers` : '')
    this.dbWatch = new ConnectionWatch('the database', opts.log, impact, this.now)
    this.busWatch = new ConnectionWatch('the bus (NATS)', opts.log, impact, this.now)
  }

  /** add reports a component of this process from now on (in the order the data flows); the function returned stops reporting it. */
  add(probe: AnyProbe): () => void {
    this.probes.push(probe)
    this.probes.sort((a, b) => COMPONENTS.indexOf(a.component) - COMPONENTS.indexOf(b.component))
    return () => {
      const i = this.probes.indexOf(probe)
      if (i >= 0) this.probes.splice(i, 1)
    }
  }

  /** report checks the connections and reads every component; calls made while one runs share it. */
  report(): Promise<HealthReport> {
    return (this.sampling ??= this.sample().finally(() => (this.sampling = null)))
  }

  /** start sends each component's status on LIVE_STATUS every everyMs (STATUS_EVERY_MS by default), the first at once. */
  start(everyMs = STATUS_EVERY_MS): void {
    if (this.timer) return
    const beat = () => void this.heartbeat()
    this.timer = setInterval(beat, everyMs)
    this.timer.unref()
    beat()
  }

  /** stop ends the heartbeat. */
  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private async heartbeat(): Promise<void> {
    let r: HealthReport
    try {
      r = await this.report()
    } catch (e) {
      this.opts.log.warn('could not take the status', { error: (e as Error).message })
      return
    }
    // Sent while the bus is down, it would only be dropped; the next beat goes out once it is back.
    if (!this.opts.bus.connection.up) return
    for (const s of r.components) {
      try {
        this.opts.bus.publishLive(LIVE_STATUS, s)
      } catch {
        return // closed under us: the process is stopping
      }
    }
  }

  private async sample(): Promise<HealthReport> {
    try {
      await probeDb(this.opts.db, this.opts.probeTimeoutMs ?? DB_PROBE_TIMEOUT_MS)
      this.dbWatch.up()
    } catch (e) {
      this.dbWatch.down((e as Error).message)
    }
    const c = this.opts.bus.connection
    if (c.up) this.busWatch.up()
    else this.busWatch.down(c.error, c.since)
    const db = this.dbWatch.status()
    const bus = this.busWatch.status()
    const components = await Promise.all(this.probes.map(async (p): Promise<ComponentStatus> => {
      const details = await p.details()
      const now = this.now()
      const { state, problems } = judge(db, bus, p.problems(details, now))
      return { component: p.component, process: processView(), state, problems, at: new Date(now).toISOString(), db, bus, details } as ComponentStatus
    }))
    return { state: worstState(components.map((c) => c.state)), components }
  }
}
