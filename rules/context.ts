/** defaultContext builds the RuleContext of a fresh platform: zone, bundled calendar, default settings. */
import type { RuleContext } from './candidate.ts'
import { WorkCalendar, type CalendarYear } from './calendar.ts'
import { bundledYears } from './calendars/bundled.ts'
import { defaultSettings, type RuleSettings } from './settings.ts'
import { Zone } from './zone.ts'

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
    zone: Zone.of(opts.zone ?? 'Asia/Shanghai'),
    calendar: new WorkCalendar(opts.years ?? bundledYears(), opts.onUncovered),
    settings: opts.settings ?? defaultSettings(),
  }
}
