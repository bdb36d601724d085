/**
 * A rules file sets the switches and numbers of the built-in rules in YAML, so that an
 * administrator changes them as data (docs/rules.md has the full table):
 *
 *   version: "2026-11-城区"          # optional; default "sha256:" + 12 hex digits of the text
 *   rules:                           # by rule id: enabled, level, and that rule's own numbers
 *     approval.due_soon: { enabled: true, level: yellow, marginDays: 2 }
 *     petition.reply_overdue: { days: 60 }
 *     petition.repeat: { count: 3, windowDays: 30 }
 *   overrides:                       # for some cases; applied in order, later wins
 *     - match: { itemCode: HSG-002 } # itemCode and/or dept
 *       rules:
 *         approval.due_soon: { marginDays: 1 }
 *
 * Whatever the file does not say keeps the contract's default. Everything is checked
 * on load: a mistake throws RulesFileError naming the file, the key and the value.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { applyPatch, type SettingsPatch } from './overrides.ts'
import { RULES, defaultSettings, type RuleId, type RuleOverride, type RuleSettings } from './settings.ts'

/** RulesFileError is a rules file that cannot be used; its message names origin, key path and value. */
export class RulesFileError extends Error {
  constructor(readonly origin: string, readonly path: string, readonly reason: string) {
    super(`${origin}: ${path ? `${path}: ` : ''}${reason}`)
    this.name = 'RulesFileError'
  }
}

type Section = 'approval' | 'enforcement' | 'petition'

/** Param is one number a rule takes, the RuleSettings field it sets, and its allowed range. */
interface Param {
  section: Section
  field: string
  min: number
  max?: number
}

const days = (section: Section, field: string): Param => ({ section, field, min: 1 })
const margin = (section: Section, field: string): Param => ({ section, field, min: 0 })

/** PARAMS lists, per rule, the keys beyond `enabled` and `level`. Two keys may share a field; they must then agree. */
const PARAMS: Partial<Record<RuleId, Record<string, Param>>> = {
  'approval.due_soon': { marginDays: margin('approval', 'dueSoonMarginDays') },
  'approval.accept_delay': { days: days('approval', 'acceptDays') },
  'approval.long_suspension': { days: days('approval', 'longSuspensionDays') },
  'approval.poor_rating': { maxScore: { section: 'approval', field: 'poorRatingMax', min: 1, max: 5 } },
  'enforcement.due_soon': { marginDays: margin('enforcement', 'dueSoonMarginDays') },
  'enforcement.overdue': { defaultLimitDays: days('enforcement', 'defaultLimitDays') },
  'petition.accept_overdue': { days: days('petition', 'acceptDays') },
  'petition.reply_due_soon': { marginDays: margin('petition', 'dueSoonMarginDays'), days: days('petition', 'replyDays') },
  'petition.reply_overdue': { days: days('petition', 'replyDays') },
  'petition.repeat': { count: { section: 'petition', field: 'repeatCount', min: 2 }, windowDays: days('petition', 'repeatWindowDays') },
}

/** Repeats count one petitioner's petitions across cases, so no single case can have its own numbers. */
const NOT_OVERRIDABLE: readonly RuleId[] = ['petition.repeat']

/** Where says which document is read and under which key path, for error messages. */
interface Where {
  origin: string
  at: string
}

/** parseRulesFile reads a rules file's text into settings; `origin` (the file name) prefixes every error. */
export function parseRulesFile(text: string, origin = 'rules file'): RuleSettings {
  return rulesFromValue(readYaml(text, origin), { origin, version: contentVersion(text) })
}

/** loadRulesFile reads and checks a rules file from disk. */
export function loadRulesFile(path: string): RuleSettings {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new RulesFileError(path, '', `cannot read: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
  return parseRulesFile(text, path)
}

/** contentVersion is the default version of a rules file: a short hash of its text. */
export function contentVersion(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 12)}`
}

/**
 * readYaml parses one YAML document; a syntax error throws RulesFileError naming the
 * line. Duplicate keys are errors: the second would silently win.
 */
export function readYaml(text: string, origin: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true })
  const err = doc.errors[0]
  if (err) {
    const pos = err.linePos?.[0]
    const what = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    throw new RulesFileError(origin, '', `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}YAML syntax error: ${what}`)
  }
  return doc.toJS()
}

/**
 * rulesFromValue checks an already parsed rules document (e.g. inline in a test file)
 * and builds its settings. `at` prefixes key paths in errors; `version` is used when
 * the document gives none.
 */
export function rulesFromValue(value: unknown, opts: { origin: string; at?: string; version: string }): RuleSettings {
  const where: Where = { origin: opts.origin, at: opts.at ?? '' }
  const top = value === null || value === undefined ? {} : mapping(value, '', where)
  onlyKeys(top, ['version', 'rules', 'overrides'], '', where)
  const version = top.version === undefined ? opts.version : versionOf(top.version, where)
  // `rules:` with every line commented out is null: the same as no rules.
  const base = top.rules === undefined || top.rules === null ? {} : patchOf(top.rules, 'rules', where, false)
  return { ...applyPatch(defaultSettings(), base), version, overrides: overridesOf(top.overrides, where) }
}

function versionOf(v: unknown, where: Where): string {
  if (typeof v === 'number' || typeof v === 'boolean') fail(where, 'version', `must be a string (quote it: version: "${String(v)}"), got ${show(v)}`)
  if (typeof v !== 'string' || !v.trim()) fail(where, 'version', `must be a non-empty string, got ${show(v)}`)
  return v.trim()
}

/** patchOf reads a `rules:` mapping (top level or of an override) into a settings patch. */
function patchOf(value: unknown, path: string, where: Where, inOverride: boolean): SettingsPatch {
  const rules = mapping(value, path, where)
  const patch: SettingsPatch = {}
  const setBy = new Map<string, { path: string; value: number }>()
  for (const [id, body] of Object.entries(rules)) {
    const rpath = `${path}.${id}`
    if (!(id in RULES)) fail(where, rpath, `unknown rule${suggest(id)}`)
    const rule = id as RuleId
    if (inOverride && NOT_OVERRIDABLE.includes(rule)) {
      fail(where, rpath, 'cannot be overridden: repeats are counted across cases, so set it under the top-level rules')
    }
    for (const [key, v] of Object.entries(mapping(body, rpath, where))) {
      const kpath = `${rpath}.${key}`
      if (key === 'enabled' || key === 'level') {
        const r = ((patch.rules ??= {})[rule] ??= {})
        if (key === 'enabled') r.enabled = flag(v, kpath, where)
        else r.level = level(v, kpath, where)
        continue
      }
      const param = PARAMS[rule]?.[key]
      if (!param) fail(where, kpath, `unknown key; ${rule} takes ${['enabled', 'level', ...Object.keys(PARAMS[rule] ?? {})].join(', ')}`)
      setParam(patch, param, integer(v, param, kpath, where), kpath, setBy, where)
    }
  }
  return patch
}

/** setParam writes one number, refusing a second key of the same document that sets the same field differently. */
function setParam(patch: SettingsPatch, p: Param, n: number, path: string, setBy: Map<string, { path: string; value: number }>, where: Where): void {
  const field = `${p.section}.${p.field}`
  const prior = setBy.get(field)
  if (prior && prior.value !== n) fail(where, path, `${n} disagrees with ${prior.path} (${prior.value}): both set ${field}`)
  setBy.set(field, { path, value: n })
  const section = (patch[p.section] ??= {}) as Record<string, number>
  section[p.field] = n
}

function overridesOf(value: unknown, where: Where): RuleOverride[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) fail(where, 'overrides', `must be a list of { match, rules }, got ${show(value)}`)
  return value.map((o, i) => overrideOf(o, `overrides[${i}]`, where))
}

function overrideOf(value: unknown, path: string, where: Where): RuleOverride {
  const o = mapping(value, path, where)
  onlyKeys(o, ['match', 'rules'], path, where)
  if (o.match === undefined) fail(where, `${path}.match`, 'is required: { itemCode: …, dept: … } (one or both)')
  const m = mapping(o.match, `${path}.match`, where)
  onlyKeys(m, ['itemCode', 'dept'], `${path}.match`, where)
  const match: RuleOverride['match'] = {}
  for (const k of ['itemCode', 'dept'] as const) {
    const v = m[k]
    if (v === undefined) continue
    if (typeof v !== 'string' || !v.trim()) fail(where, `${path}.match.${k}`, `must be a non-empty string, got ${show(v)}`)
    match[k] = v
  }
  if (match.itemCode === undefined && match.dept === undefined) fail(where, `${path}.match`, 'must give itemCode, dept or both')
  if (o.rules === undefined) fail(where, `${path}.rules`, 'is required: the rules this override changes')
  if (Object.keys(mapping(o.rules, `${path}.rules`, where)).length === 0) fail(where, `${path}.rules`, 'must change at least one rule')
  return { match, ...patchOf(o.rules, `${path}.rules`, where, true) }
}

function integer(v: unknown, p: Param, path: string, where: Where): number {
  const ok = typeof v === 'number' && Number.isInteger(v) && v >= p.min && (p.max === undefined || v <= p.max)
  if (!ok) fail(where, path, `must be an integer ${p.max === undefined ? `≥ ${p.min}` : `${p.min}..${p.max}`}, got ${show(v)}`)
  return v as number
}

function flag(v: unknown, path: string, where: Where): boolean {
  if (typeof v !== 'boolean') fail(where, path, `must be true or false, got ${show(v)}`)
  return v
}

function level(v: unknown, path: string, where: Where): 'yellow' | 'red' {
  if (v !== 'yellow' && v !== 'red') fail(where, path, `must be yellow or red, got ${show(v)}`)
  return v
}

function mapping(v: unknown, path: string, where: Where): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, path, `must be a mapping, got ${show(v)}`)
  return v as Record<string, unknown>
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], path: string, where: Where): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) fail(where, path ? `${path}.${k}` : k, `unknown key; expected ${allowed.join(', ')}`)
  }
}

function fail(where: Where, path: string, reason: string): never {
  const full = [where.at, path].filter(Boolean).join('.')
  throw new RulesFileError(where.origin, full, reason)
}

/** show prints a YAML value the way an error quotes it: "two", 2, null. */
function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v)
}

/** suggest names the closest rule id when a typo is likely (edit distance ≤ 3). */
function suggest(id: string): string {
  let best = ''
  let bestD = 4
  for (const known of Object.keys(RULES)) {
    const d = distance(id, known)
    if (d < bestD) [best, bestD] = [known, d]
  }
  return best ? `; did you mean ${best}?` : `; the rules are ${Object.keys(RULES).join(', ')}`
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]!
}
