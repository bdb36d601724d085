/** defaultContext builds the RuleContext of a fresh platform: zone, bundled calendar, default settings. */
import type { RuleContext } from './candidate.ts'
import { bundledYears, type CalendarYear, DEFAULT_ZONE, WorkCalendar, Zone } from '../common/time/index.ts'
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
