/** defaultContext builds the RuleContext of a fresh platform: zone, bundled calendar, default settings. */
import type { TimedEvent } from '../common/contract/index.ts'
import type { RuleContext } from './candidate.ts'
import { bundledYears, type CalendarYear, DEFAULT_ZONE, WorkCalendar, Zone } from '../common/time/index.ts'
import { itemCodeOf, settingsFor } from './overrides.ts'
import { defaultSettings, type RuleSettings } from './settings.ts'

/** ContextOptions override the defaults. */
export interface ContextOptions {
  zone?: string
  years?: CalendarYear[]
  settings?: RuleSettings
  onUncovered?: (year: number) => void
}

/** defaultContext returns a RuleContext; every part can be overridden. */
export function defaultContext(opts: ContextOptions = {}): RuleContext {
  return {
    zone: Zone.of(opts.zone ?? DEFAULT_ZONE),
    calendar: new WorkCalendar(opts.years ?? bundledYears(), opts.onUncovered),
    settings: opts.settings ?? defaultSettings(),
  }
}

/**
 * caseContext gives one case the context in force for it, as the engine does: the
 * settings of its item and department (per-item overrides), its department being its
 * latest event's. `events` are the case's, in case order.
 */
export function caseContext(ctx: RuleContext, events: readonly TimedEvent[]): RuleContext {
  const last = events[events.length - 1]
  if (!last || !ctx.settings.overrides.length) return ctx
  const settings = settingsFor(ctx.settings, { itemCode: itemCodeOf(events), dept: last.ev.dept })
  return settings === ctx.settings ? ctx : { ...ctx, settings }
}
