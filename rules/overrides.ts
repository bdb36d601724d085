/**
 * Overrides give some cases their own rule settings: a stricter margin for one item
 * (事项), a rule switched off for one department. settingsFor resolves the settings
 * in force for one case; it runs for every event, so it is memoized.
 */
import type { TimedEvent } from '../common/contract/index.ts'
import type { RuleOverride, RuleSettings } from './settings.ts'

/** SettingsPatch is what an override changes: everything but its `match`. */
export type SettingsPatch = Omit<RuleOverride, 'match'>

/** CaseMatch is what overrides look at in a case: its department and, for approvals, its item code. */
export interface CaseMatch {
  itemCode?: string
  dept: string
}

/** itemCodeOf finds the approval item a case is about, for per-item overrides: the first event that names one. */
export function itemCodeOf(events: readonly TimedEvent[]): string | undefined {
  for (const e of events) {
    const code = e.ev.attrs?.itemCode
    if (typeof code === 'string') return code
  }
  return undefined
}

/** Item codes × departments of a city number in the thousands; past this the cache starts over rather than grow. */
const MAX_CACHED = 10_000

// Keyed by the base settings object, so that swapping settings drops the old cache with them.
const cache = new WeakMap<RuleSettings, Map<string, RuleSettings>>()

/**
 * settingsFor returns the settings in force for one case: `base` with every matching
 * override applied in file order (later wins). The result is shared: do not mutate it.
 */
export function settingsFor(base: RuleSettings, match: CaseMatch): RuleSettings {
  if (base.overrides.length === 0) return base
  let byCase = cache.get(base)
  if (!byCase) cache.set(base, (byCase = new Map()))
  const key = `${match.dept}\u0000${match.itemCode ?? ''}`
  let s = byCase.get(key)
  if (s === undefined) {
    s = resolve(base, match)
    if (byCase.size >= MAX_CACHED) byCase.clear()
    byCase.set(key, s)
  }
  return s
}

function resolve(base: RuleSettings, match: CaseMatch): RuleSettings {
  let s = base
  for (const o of base.overrides) if (matches(o.match, match)) s = applyPatch(s, o)
  return s
}

/**
 * matches tells whether an override's match selects a case: every key it gives must
 * be equal. A match with no key selects nothing, so a malformed override cannot
 * silently change every case.
 */
export function matches(m: RuleOverride['match'], c: CaseMatch): boolean {
  if (m.itemCode === undefined && m.dept === undefined) return false
  return (m.itemCode === undefined || m.itemCode === c.itemCode) && (m.dept === undefined || m.dept === c.dept)
}

/** applyPatch returns a copy of `s` with the patch's values set; `s` is left as is. */
export function applyPatch(s: RuleSettings, p: SettingsPatch): RuleSettings {
  const rules = { ...s.rules }
  for (const [id, r] of Object.entries(p.rules ?? {}) as Array<[keyof RuleSettings['rules'], Partial<RuleSettings['rules'][keyof RuleSettings['rules']]>]>) {
    rules[id] = { ...rules[id], ...r }
  }
  return {
    ...s,
    rules,
    approval: { ...s.approval, ...p.approval },
    enforcement: { ...s.enforcement, ...p.enforcement },
    petition: { ...s.petition, ...p.petition },
  }
}
