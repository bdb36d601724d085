/**
 * cockpitView: what the leader's cockpit shows, kept in its address (#/leader?…) so a
 * view can be linked, reloaded and screenshotted: the tab, the period (its unit follows
 * from its name; none: the server's current month), the kind of department, the
 * department drilled into and its indicator, and the decision support's dates. Anything
 * it cannot read is left out, never guessed.
 */
import { DEPT_CODE, DEPT_KINDS, type DeptKind } from '../../../common/contract/api.ts'
import { periodUnit } from './kpiPeriod.ts'

/** CockpitTab is a tab of the cockpit. */
export type CockpitTab = 'ranking' | 'reform'

/** CockpitView is the cockpit's state as the address holds it. */
export interface CockpitView {
  tab: CockpitTab
  /** null: the server's current month */
  period: string | null
  kind: DeptKind | null
  dept: string | null
  indicator: string | null
  from: string | null
  until: string | null
}

const INDICATOR = /^[A-Za-z0-9_.-]{1,64}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** readView reads the query of #/leader?… (without the '?'). */
export function readView(query: string): CockpitView {
  const q = new URLSearchParams(query)
  const get = (k: string, ok: (v: string) => boolean) => {
    const v = q.get(k)
    return v !== null && ok(v) ? v : null
  }
  const dept = get('dept', (v) => v.length <= 64 && DEPT_CODE.test(v))
  return {
    tab: q.get('tab') === 'reform' ? 'reform' : 'ranking',
    period: get('period', (v) => periodUnit(v) !== null),
    kind: get('kind', (v) => (DEPT_KINDS as readonly string[]).includes(v)) as DeptKind | null,
    dept,
    // An indicator is only shown within a department.
    indicator: dept === null ? null : get('indicator', (v) => INDICATOR.test(v)),
    from: get('from', (v) => DATE.test(v)),
    until: get('until', (v) => DATE.test(v)),
  }
}

/** writeView writes a view as the query readView reads, leaving out what is at its default. */
export function writeView(v: CockpitView): string {
  const q = new URLSearchParams()
  if (v.tab !== 'ranking') q.set('tab', v.tab)
  if (v.period) q.set('period', v.period)
  if (v.kind) q.set('kind', v.kind)
  if (v.dept) {
    q.set('dept', v.dept)
    if (v.indicator) q.set('indicator', v.indicator)
  }
  if (v.from) q.set('from', v.from)
  if (v.until) q.set('until', v.until)
  return q.toString()
}
