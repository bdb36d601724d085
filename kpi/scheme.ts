/**
 * A scheme is the data that turns counts into scores (kpi.md §3): its categories, each
 * category's indicators with their formulas and weights, and the grade cut-offs. It is
 * a YAML file (docs/kpi.md has the format; schemes/default.yaml is the contract's):
 *
 *   categories:
 *     efficiency:
 *       label: 效能
 *       indicators:
 *         approval_on_time: { weight: 15, numerator: approval.on_time, denominator: approval.completed }
 *     compliance:
 *       indicators:
 *         cards: { weight: 25, deduction: { points: { cards.yellow: 1, cards.red: 3 }, per: 100, of: workload } }
 *   grades: [{ name: 优秀, min: 90 }, { name: 不合格, min: 0 }]
 *
 * Everything is checked on load: a mistake throws SchemeError naming the file and key.
 * A scheme's version is a hash of its canonical text, so that a result names exactly
 * the scheme that produced it, whatever the file's comments and layout.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'
import type { CountName } from './countNames.ts'
import { formatCountSum, parseCountSum, type CountSum } from './countSum.ts'
import { Ratio } from './ratio.ts'

/** Formula is how an indicator's score comes from the counts. */
export type Formula =
  /** 100 × numerator / denominator; no data when the denominator is 0 */
  | { type: 'ratio'; numerator: CountSum; denominator: CountSum }
  /** max(0, 100 − Σ points × count × per / of): points off per card, per `per` cases; no data when `of` is 0 */
  | { type: 'deduction'; points: ReadonlyArray<{ count: CountName; points: Ratio }>; per: Ratio; of: CountSum }

/** Indicator is one scored figure of a category. */
export interface Indicator {
  name: string
  label?: string
  weight: Ratio
  formula: Formula
}

/** Category groups indicators; its weight is the sum of theirs (kpi.md §3). */
export interface Category {
  name: string
  label?: string
  indicators: readonly Indicator[]
  weight: Ratio
}

/** Grade is one cut-off: a score of at least `min` earns `name`, unless a higher grade's. */
export interface Grade {
  name: string
  min: Ratio
}

/** Scheme is a checked scheme, with its version. */
export interface Scheme {
  /** "sha256:" and 12 hex digits of the canonical text: what every result records */
  version: string
  /** the canonical text the version hashes: what the scheme store keeps of each version */
  canonical: string
  categories: readonly Category[]
  /** highest first; the last one's min is 0 */
  grades: readonly Grade[]
}

/** SchemeError is a scheme file that cannot be used; its message names the file, the key path and the reason. */
export class SchemeError extends Error {
  constructor(readonly origin: string, readonly path: string, readonly reason: string) {
    super(`${origin}: ${path ? `${path}: ` : ''}${reason}`)
    this.name = 'SchemeError'
  }
}

/** DEFAULT_SCHEME_FILE is the file of the contract's default scheme, shipped with the platform. */
export const DEFAULT_SCHEME_FILE = fileURLToPath(new URL('./schemes/default.yaml', import.meta.url))

let builtin: Scheme | null = null

/** defaultScheme is the contract's default scheme (kpi.md §3), read once from DEFAULT_SCHEME_FILE. */
export function defaultScheme(): Scheme {
  return (builtin ??= loadScheme(DEFAULT_SCHEME_FILE))
}

/** loadScheme reads and checks a scheme file. */
export function loadScheme(path: string): Scheme {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new SchemeError(path, '', `cannot read: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
  return parseScheme(text, path)
}

/** parseScheme checks a scheme's YAML text; `origin` (the file name) prefixes every error. */
export function parseScheme(text: string, origin = 'scheme'): Scheme {
  const doc = parseDocument(text, { uniqueKeys: true })
  const err = doc.errors[0]
  if (err) {
    const pos = err.linePos?.[0]
    const what = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    throw new SchemeError(origin, '', `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}YAML syntax error: ${what}`)
  }
  return schemeFromValue(doc.toJS(), origin)
}

/** schemeFromValue checks an already parsed scheme document and gives it its version. */
export function schemeFromValue(value: unknown, origin: string): Scheme {
  const fail = (path: string, reason: string): never => {
    throw new SchemeError(origin, path, reason)
  }
  const top = mapping(value ?? {}, '', fail)
  onlyKeys(top, ['categories', 'grades'], '', fail)
  if (top.categories === undefined) fail('categories', 'is required: the categories and their indicators')
  const cats = mapping(top.categories, 'categories', fail)
  if (!Object.keys(cats).length) fail('categories', 'must hold at least one category')
  const seen = new Map<string, string>()
  const categories = Object.entries(cats).map(([name, body]) => categoryOf(name, body, `categories.${name}`, seen, fail))
  if (top.grades === undefined) fail('grades', 'is required: the grade cut-offs, highest first')
  const grades = gradesOf(top.grades, fail)
  const canonical = canonicalText(categories, grades)
  return { version: `sha256:${createHash('sha256').update(canonical).digest('hex').slice(0, 12)}`, canonical, categories, grades }
}

type Fail = (path: string, reason: string) => never

function categoryOf(name: string, body: unknown, path: string, seen: Map<string, string>, fail: Fail): Category {
  nameOf(name, path, fail)
  const c = mapping(body, path, fail)
  onlyKeys(c, ['label', 'indicators'], path, fail)
  if (c.indicators === undefined) fail(`${path}.indicators`, 'is required: the indicators of this category')
  const inds = mapping(c.indicators, `${path}.indicators`, fail)
  if (!Object.keys(inds).length) fail(`${path}.indicators`, 'must hold at least one indicator')
  const indicators = Object.entries(inds).map(([iname, ibody]) => {
    const ipath = `${path}.indicators.${iname}`
    const prior = seen.get(iname)
    // The output lists indicators by name alone, so a name means one indicator.
    if (prior) fail(ipath, `is already an indicator at ${prior}: indicator names must differ across categories`)
    seen.set(iname, ipath)
    return indicatorOf(iname, ibody, ipath, fail)
  })
  const weight = indicators.reduce((w, i) => w.plus(i.weight), Ratio.ZERO)
  return { name, ...labelOf(c.label, `${path}.label`, fail), indicators, weight }
}

function indicatorOf(name: string, body: unknown, path: string, fail: Fail): Indicator {
  nameOf(name, path, fail)
  const b = mapping(body, path, fail)
  onlyKeys(b, ['label', 'weight', 'numerator', 'denominator', 'deduction'], path, fail)
  if (b.weight === undefined) fail(`${path}.weight`, 'is required: a number > 0')
  const weight = positive(b.weight, `${path}.weight`, fail)
  const ratio = b.numerator !== undefined || b.denominator !== undefined
  if (ratio === (b.deduction !== undefined)) {
    fail(path, ratio ? 'gives both a ratio (numerator, denominator) and a deduction: choose one' : 'must give numerator and denominator, or deduction')
  }
  let formula: Formula
  if (ratio) {
    if (b.numerator === undefined) fail(`${path}.numerator`, 'is required with a denominator: the counts scored, e.g. approval.on_time')
    if (b.denominator === undefined) fail(`${path}.denominator`, 'is required with a numerator: the counts scored against, e.g. approval.completed')
    formula = { type: 'ratio', numerator: countSum(b.numerator, `${path}.numerator`, fail), denominator: countSum(b.denominator, `${path}.denominator`, fail) }
  } else {
    formula = deductionOf(b.deduction, `${path}.deduction`, fail)
  }
  return { name, ...labelOf(b.label, `${path}.label`, fail), weight, formula }
}

function deductionOf(value: unknown, path: string, fail: Fail): Formula {
  const d = mapping(value, path, fail)
  onlyKeys(d, ['points', 'per', 'of'], path, fail)
  if (d.points === undefined) fail(`${path}.points`, 'is required: points off per count, e.g. { cards.yellow: 1, cards.red: 3 }')
  const pts = mapping(d.points, `${path}.points`, fail)
  if (!Object.keys(pts).length) fail(`${path}.points`, 'must name at least one count')
  const points = Object.entries(pts).map(([count, p]) => {
    const sum = countSum(count, `${path}.points.${count}`, fail)
    if (sum.length !== 1 || sum[0]!.sign !== 1) fail(`${path}.points.${count}`, 'must be one count')
    return { count: sum[0]!.count, points: nonNegative(p, `${path}.points.${count}`, fail) }
  })
  const per = d.per === undefined ? Ratio.of(100) : positive(d.per, `${path}.per`, fail)
  const of = d.of === undefined ? countSum('workload', `${path}.of`, fail) : countSum(d.of, `${path}.of`, fail)
  return { type: 'deduction', points, per, of }
}

function gradesOf(value: unknown, fail: Fail): Grade[] {
  if (!Array.isArray(value) || !value.length) fail('grades', `must be a list of { name, min }, highest first, got ${show(value)}`)
  const grades = (value as unknown[]).map((g, i) => {
    const path = `grades[${i}]`
    const o = mapping(g, path, fail)
    onlyKeys(o, ['name', 'min'], path, fail)
    if (typeof o.name !== 'string' || !o.name.trim()) fail(`${path}.name`, `must be a non-empty string, got ${show(o.name)}`)
    if (typeof o.min !== 'number' || !Number.isFinite(o.min) || o.min < 0 || o.min > 100) fail(`${path}.min`, `must be a number from 0 to 100, got ${show(o.min)}`)
    return { name: (o.name as string).trim(), min: Ratio.fromNumber(o.min as number) }
  })
  grades.forEach((g, i) => {
    const before = grades[i - 1]
    if (before && g.min.compare(before.min) >= 0) fail(`grades[${i}].min`, `must be below the min of grades[${i - 1}] (${before.min.toDecimal()}): highest first`)
    if (grades.findIndex((o) => o.name === g.name) !== i) fail(`grades[${i}].name`, `"${g.name}" is already a grade`)
  })
  const last = grades[grades.length - 1]!
  if (last.min.compare(Ratio.ZERO) !== 0) fail(`grades[${grades.length - 1}].min`, 'must be 0: every score gets a grade')
  return grades
}

function countSum(v: unknown, path: string, fail: Fail): CountSum {
  if (typeof v !== 'string') fail(path, `must be counts joined by + or -, e.g. approval.on_time, got ${show(v)}`)
  const sum = parseCountSum(v as string)
  return typeof sum === 'string' ? fail(path, sum) : sum
}

function positive(v: unknown, path: string, fail: Fail): Ratio {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(path, `must be a number > 0, got ${show(v)}`)
  return Ratio.fromNumber(v as number)
}

function nonNegative(v: unknown, path: string, fail: Fail): Ratio {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(path, `must be a number ≥ 0, got ${show(v)}`)
  return Ratio.fromNumber(v as number)
}

function nameOf(name: string, path: string, fail: Fail): void {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) fail(path, 'must be a name of lower-case letters, digits and _, starting with a letter')
}

function labelOf(v: unknown, path: string, fail: Fail): { label?: string } {
  if (v === undefined) return {}
  if (typeof v !== 'string' || !v.trim()) fail(path, `must be a non-empty string, got ${show(v)}`)
  return { label: (v as string).trim() }
}

function mapping(v: unknown, path: string, fail: Fail): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `must be a mapping, got ${show(v)}`)
  return v as Record<string, unknown>
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], path: string, fail: Fail): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(path ? `${path}.${k}` : k, `unknown key; expected ${allowed.join(', ')}`)
}

/** show quotes a YAML value the way an error names it: "15", 15, null. */
function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v)
}

/**
 * canonicalText writes a checked scheme one way only: names and labels in the file's
 * order (which is the output's order), numbers exactly, formulas in one spelling.
 */
function canonicalText(categories: readonly Category[], grades: readonly Grade[]): string {
  const formula = (f: Formula) =>
    f.type === 'ratio'
      ? { numerator: formatCountSum(f.numerator), denominator: formatCountSum(f.denominator) }
      : { deduction: { points: f.points.map((p) => [p.count, p.points.toDecimal()]), per: f.per.toDecimal(), of: formatCountSum(f.of) } }
  return JSON.stringify({
    categories: categories.map((c) => ({
      name: c.name,
      label: c.label ?? null,
      indicators: c.indicators.map((i) => ({ name: i.name, label: i.label ?? null, weight: i.weight.toDecimal(), ...formula(i.formula) })),
    })),
    grades: grades.map((g) => ({ name: g.name, min: g.min.toDecimal() })),
  })
}
