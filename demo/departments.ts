/**
 * seedDemoDepartments registers the demo city's departments (city.ts) in the
 * department registry, so that its texts, wall and consoles name them. It only adds
 * what is missing: an administrator's later edits to a demo department stand.
 */
import type { DeptKind } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { saveDepartments, type SaveResult } from '../common/departments/index.ts'
import { DEPARTMENTS } from './city.ts'

/** DEMO_KINDS is the kind of each demo department. */
export const DEMO_KINDS: Readonly<Record<string, DeptKind>> = {
  market: 'supervision',
  housing: 'approval',
  tax: 'service',
  health: 'supervision',
  transport: 'enforcement',
  environment: 'enforcement',
  letters: 'service',
  education: 'service',
  civil: 'service',
  hrss: 'service',
  natres: 'approval',
  publicsec: 'enforcement',
  emergency: 'supervision',
}

/** seedDemoDepartments inserts the demo departments the registry lacks, audited as the demo's; at is the platform clock. */
export async function seedDemoDepartments(db: Db, at: number): Promise<SaveResult> {
  const items = DEPARTMENTS.map((d) => ({
    dept: { code: d.code, nameZh: d.name['zh-CN'], nameEn: d.name.en, kind: DEMO_KINDS[d.code] ?? 'other', parent: null, active: true },
  }))
  return saveDepartments(db, items, { actor: 'demo', via: 'demo', at, mode: 'insertMissing' })
}
