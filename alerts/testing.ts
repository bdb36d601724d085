/** Test helpers of alerts for other components' tests: cards stored through the alert store, a thread store built as the platform builds it. */
import type { Alert, Kind, Level } from '../common/contract/index.ts'
import type { Db, Queryable } from '../common/db/index.ts'
import type { Clock } from '../common/time/index.ts'
import { defaultContext } from '../rules/index.ts'
import { composeAlerts } from './compose.ts'
import type { ThreadStore } from './lifecycle/threadStore.ts'
import { saveAlert, withdrawAlert } from './store.ts'

/** TestCard is a stored card's fields worth varying; a red petition.overdue of case `key` by default. */
export interface TestCard {
  key: string
  dept: string
  at: string
  level?: Level
  rule?: string
  kind?: Kind
  caseId?: string
  status?: 'open' | 'withdrawn'
  /** the ids of the events that caused it; none by default */
  causes?: string[]
}

/** insertAlert stores a card as the alert service would (withdrawn at once when asked). */
export async function insertAlert(db: Queryable, c: TestCard): Promise<void> {
  const card: Alert = {
    key: c.key, rule: c.rule ?? 'petition.overdue', level: c.level ?? 'red', kind: c.kind ?? 'petition', caseId: c.caseId ?? c.key,
    dept: c.dept, at: c.at, causes: c.causes ?? [], settingsVersion: '',
  }
  await saveAlert(db, card, Date.now())
  if (c.status === 'withdrawn') await withdrawAlert(db, card, 'test', Date.now())
}

/** testThreads is the thread store of a process on db, as composeAlerts builds it (audited), on the default calendar. */
export function testThreads(db: Db, clock: Clock = { now: Date.now }): ThreadStore {
  return composeAlerts({ db, clock, ctx: defaultContext() }).threads
}
