/**
 * The period decision support reads: ?from=YYYY-MM-DD&until=YYYY-MM-DD, local dates of
 * the platform's zone, both included, at most MAX_REFORM_DAYS of them. Pure.
 */
import { MAX_REFORM_DAYS } from '../../../common/contract/index.ts'
import { dayFromIso } from '../../../common/time/index.ts'

/** ReformPeriod is a checked period: its dates as given and as days (common/time Day). */
export interface ReformPeriod {
  from: string
  until: string
  fromDay: number
  untilDay: number
}

/** PeriodError is the 400 answer: what is wrong, naming the parameter. */
export interface PeriodError {
  error: string
  field: 'from' | 'until'
}

/** parseReformPeriod reads from and until of a query string, or says which is wrong and why. */
export function parseReformPeriod(q: URLSearchParams): ReformPeriod | PeriodError {
  const from = dateParam(q, 'from')
  if ('error' in from) return from
  const until = dateParam(q, 'until')
  if ('error' in until) return until
  if (until.day < from.day) return { error: `until (${until.date}) must not be before from (${from.date})`, field: 'until' }
  const days = until.day - from.day + 1
  if (days > MAX_REFORM_DAYS) return { error: `the period from ${from.date} until ${until.date} holds ${days} days; at most ${MAX_REFORM_DAYS}`, field: 'until' }
  return { from: from.date, until: until.date, fromDay: from.day, untilDay: until.day }
}

function dateParam(q: URLSearchParams, field: 'from' | 'until'): { date: string; day: number } | PeriodError {
  const all = q.getAll(field)
  if (all.length !== 1) return { error: all.length ? `${field} given ${all.length} times` : `${field} is required, a date YYYY-MM-DD`, field }
  const date = all[0]!
  try {
    return { date, day: dayFromIso(date) }
  } catch {
    return { error: `${field} must be a date YYYY-MM-DD that exists, not "${date.slice(0, 40)}"`, field }
  }
}
