/**
 * How the platform status page (#/status) words a component: its state (or 失联 when it
 * stopped reporting) with a symbol, its connections, its problems and the figures of
 * its details, in the platform's zone. Pure: the page renders what these return.
 */
import type { ComponentReport, ComponentStatus, ConnectionStatus, ErrorNote, HealthState } from '../../../common/contract/api.ts'
import { isKey, t, type Lang } from './i18n.ts'
import { formatInstant, localTime } from './timeFormat.ts'

/** ShownState is a component's state as the page shows it: silent when nothing was heard for 30 s. */
export type ShownState = HealthState | 'silent'

/** SHOWN_SYMBOL is a state's symbol, shown before its label: nothing is told by colour alone. */
export const SHOWN_SYMBOL: Record<ShownState, string> = { ok: '✓', degraded: '!', down: '✗', silent: '?' }

/** shownState is the state of a report: its status's, or silent when it is not reporting. */
export function shownState(r: ComponentReport): ShownState {
  return r.reporting && r.status ? r.status.state : 'silent'
}

/** stateLabel words a shown state with its symbol. */
export function stateLabel(lang: Lang, s: ShownState): string {
  return `${SHOWN_SYMBOL[s]} ${t(lang, `status.state.${s}`)}`
}

/** componentLabel names a component (数据采集 …). */
export function componentLabel(lang: Lang, c: ComponentStatus['component']): string {
  return t(lang, `status.component.${c}`)
}

/** streamLabel names a stream of the bus; an unknown one is shown raw. */
export function streamLabel(lang: Lang, stream: string): string {
  const key = `status.stream.${stream}`
  return isKey(key) ? t(lang, key) : stream
}

/** streamHint says in plain words what a stream's dead letters mean and what to do. */
export function streamHint(lang: Lang, stream: string): string {
  const key = `status.deadHint.${stream}`
  return isKey(key) ? t(lang, key) : t(lang, 'status.deadHint.other')
}

/** connectionText words a connection: 正常, or down since when, and why. */
export function connectionText(lang: Lang, c: ConnectionStatus, zone: string): string {
  return c.up ? `✓ ${t(lang, 'status.conn.up')}` : `✗ ${t(lang, 'status.conn.down', { since: clock(c.downSince, zone), error: c.error })}`
}

/** problemTexts words why a status is not ok. */
export function problemTexts(lang: Lang, s: ComponentStatus): string[] {
  return s.problems.map((p) => t(lang, `status.problem.${p}`))
}

/** Figure is one labelled value of a component's details. */
export interface Figure {
  /** a stable name for tests */
  id: string
  label: string
  value: string
}

/** figures lists the details of a status as label and value. */
export function figures(lang: Lang, s: ComponentStatus, zone: string): Figure[] {
  const f = (id: string, value: string | number): Figure => ({ id, label: t(lang, `status.fig.${id}` as 'status.fig.backlog'), value: String(value) })
  const error = (e: ErrorNote | null) => f('lastError', e ? `${e.message} (${formatInstant(e.at, zone)})` : t(lang, 'common.none'))
  switch (s.component) {
    case 'collector':
      return [
        f('backlog', s.details.maxBacklog ? t(lang, 'status.ofBound', { n: s.details.backlog, bound: s.details.maxBacklog }) : t(lang, 'status.noBound', { n: s.details.backlog })),
        f('tooMany', s.details.refused.tooMany),
        f('unavailable', s.details.refused.unavailable),
      ]
    case 'rules':
      return [
        f('backlog', s.details.backlog),
        f('lag', duration(lang, s.details.watermarkLagMs)),
        f('applied', s.details.applied),
        f('cases', s.details.cases),
        f('deadLetters', s.details.deadLetters),
        error(s.details.lastError),
      ]
    case 'alerts': {
      const o = s.details.outbox
      const unknown = t(lang, 'status.unknown')
      const sv = s.details.service
      return [
        f('queued', o ? o.queued : unknown),
        f('sending', o ? o.sending : unknown),
        f('failed', o ? o.failed : unknown),
        f('notifier', t(lang, s.details.notifier.running ? 'status.running' : 'status.stopped')),
        error(s.details.notifier.lastError),
        // The alert service's own figures, where the process runs it.
        ...(sv
          ? [f('stored', sv.stored), f('deadLetters', sv.deadLetters), { ...error(sv.lastError), id: 'storeError', label: t(lang, 'status.fig.storeError') }]
          : []),
      ]
    }
    case 'kpi':
      return [
        f('kpiEvents', s.details.events),
        f('kpiCards', s.details.cards),
        f('facts', s.details.facts),
        f('rollups', s.details.rollups === 'timescale' ? 'TimescaleDB' : 'PostgreSQL'),
        f('refreshedAt', s.details.refreshedAt ? formatInstant(s.details.refreshedAt, zone) : t(lang, 'common.none')),
        error(s.details.lastError),
      ]
    case 'dashboard':
      return [f('sockets', s.details.sockets)]
  }
}

/** duration words a span of milliseconds roughly: 800 ms, 12 s, 5 min, 3 h, 2 d. */
export function duration(lang: Lang, ms: number): string {
  const n = Math.max(0, ms)
  if (n < 1000) return t(lang, 'status.ms', { n: Math.round(n) })
  if (n < 120_000) return t(lang, 'status.s', { n: Math.round(n / 1000) })
  if (n < 2 * 3_600_000) return t(lang, 'status.min', { n: Math.round(n / 60_000) })
  if (n < 2 * 86_400_000) return t(lang, 'status.h', { n: Math.round(n / 3_600_000) })
  return t(lang, 'status.d', { n: Math.round(n / 86_400_000) })
}

/** clock writes an instant as date and time to the second, in zone. */
export function clock(instant: string, zone: string): string {
  const l = localTime(instant, zone)
  return l ? `${l.date} ${l.time}` : instant
}
