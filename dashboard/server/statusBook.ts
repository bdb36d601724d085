/**
 * StatusBook keeps the latest status heard from each process of each component (the
 * heartbeats on the live topic `status`), for the admin page. Bounded: at most
 * MAX_STATUS_REPORTS processes, and a process unheard for FORGET_AFTER_MS is
 * forgotten (a restarted process comes back under its new pid). Pure: the instants
 * are given.
 */
import { COMPONENTS, type ComponentReport, type ComponentStatus, HEALTH_STATES, MAX_STATUS_REPORTS, STATUS_STALE_MS } from '../../common/contract/index.ts'

/** FORGET_AFTER_MS is how long a process that stopped reporting is still shown (as not reporting). */
export const FORGET_AFTER_MS = 10 * 60_000

interface Heard {
  status: ComponentStatus
  heardAt: number
}

/** StatusBook holds the newest status of each (component, host, pid). */
export class StatusBook {
  private readonly heard = new Map<string, Heard>()

  constructor(private readonly max = MAX_STATUS_REPORTS) {}

  /** note keeps msg, heard at `at`, when it is a component's status; it tells whether it was. */
  note(msg: unknown, at: number): boolean {
    if (!isComponentStatus(msg)) return false
    const key = keyOf(msg)
    this.heard.delete(key) // re-inserted last: the Map's order is then oldest heard first
    this.heard.set(key, { status: msg, heardAt: at })
    this.forget(at)
    while (this.heard.size > this.max) this.heard.delete(this.heard.keys().next().value!)
    return true
  }

  /**
   * reports lists every component at `now`: each process heard (those of this process,
   * `local`, as they are now), and a component never heard from as not reporting. In
   * the order the data flows, then by host and pid. Bounded: the processes kept, this
   * process's own, and one line per component never heard.
   */
  reports(now: number, local: readonly ComponentStatus[] = []): ComponentReport[] {
    this.forget(now)
    const all = new Map<string, Heard>(this.heard)
    for (const s of local) all.set(keyOf(s), { status: s, heardAt: now })
    const out: ComponentReport[] = [...all.values()].map(({ status, heardAt }) => ({
      component: status.component,
      reporting: now - heardAt <= STATUS_STALE_MS,
      heardAt: new Date(heardAt).toISOString(),
      status,
    }))
    for (const c of COMPONENTS) if (!out.some((r) => r.component === c)) out.push({ component: c, reporting: false, heardAt: null, status: null })
    const rank = (r: ComponentReport) => COMPONENTS.indexOf(r.component)
    out.sort((a, b) => rank(a) - rank(b) || (a.status?.process.host ?? '').localeCompare(b.status?.process.host ?? '') || (a.status?.process.pid ?? 0) - (b.status?.process.pid ?? 0))
    return out
  }

  private forget(now: number): void {
    for (const [k, h] of this.heard) if (now - h.heardAt > FORGET_AFTER_MS) this.heard.delete(k)
  }
}

function keyOf(s: ComponentStatus): string {
  return `${s.component}@${s.process.host}:${s.process.pid}`
}

/** isComponentStatus tells a status from anything else on the topic (another version, a stray message). */
export function isComponentStatus(v: unknown): v is ComponentStatus {
  const o = v as Partial<ComponentStatus> | null
  const conn = (c: unknown) => typeof c === 'object' && c !== null && typeof (c as { up?: unknown }).up === 'boolean'
  return (
    typeof o === 'object' && o !== null &&
    COMPONENTS.includes(o.component as ComponentStatus['component']) &&
    HEALTH_STATES.includes(o.state as ComponentStatus['state']) &&
    typeof o.process?.host === 'string' && o.process.host.length <= 255 && Number.isInteger(o.process.pid) &&
    typeof o.at === 'string' && Array.isArray(o.problems) && conn(o.db) && conn(o.bus) &&
    typeof o.details === 'object' && o.details !== null
  )
}
