/**
 * pickableDepts: the departments a form offers (users, silences, contacts): every
 * named one but those deactivated, which still name their old cards but take no new
 * account, silence or contact.
 */
import type { DeptNames } from '../../../common/contract/api.ts'

/** pickableDepts lists the codes a picker offers, by code. */
export function pickableDepts(names: DeptNames): string[] {
  return Object.keys(names).filter((code) => names[code]!.active !== false).sort()
}
