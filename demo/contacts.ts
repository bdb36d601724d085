/**
 * seedDemoContacts gives the demo city's departments a duty contact and a head, plus
 * the inspectors' and leaders' lists that escalation reaches, so that the demo's SMS
 * path runs end to end. The numbers are fictitious and only ever reach the fake Twilio.
 */
import type { Queryable } from '../common/db/index.ts'
import { contactsOf, ESCALATION_DEPTS, ESCALATION_LIST_NAMES, upsertContact } from '../alerts/index.ts'
import { DEPARTMENTS } from './city.ts'

/** seedDemoContacts adds contacts only where a department has none, so an administrator's edits stand. */
export async function seedDemoContacts(db: Queryable): Promise<void> {
  const lists = [
    ...DEPARTMENTS.map((d) => ({ code: d.code, name: d.name['zh-CN'] })),
    ...[ESCALATION_DEPTS.inspectors, ESCALATION_DEPTS.leaders].map((code) => ({ code, name: ESCALATION_LIST_NAMES[code]!['zh-CN'] })),
  ]
  for (const [i, d] of lists.entries()) {
    const have = await contactsOf(db, d.code)
    if (have.duty || have.head) continue
    await upsertContact(db, { dept: d.code, role: 'duty', name: `${d.name}值班员`, phone: `+861380000${String(i * 2).padStart(4, '0')}` })
    await upsertContact(db, { dept: d.code, role: 'head', name: `${d.name}负责人`, phone: `+861380000${String(i * 2 + 1).padStart(4, '0')}` })
  }
}
