/**
 * Rule tests, in the spirit of `promtool test rules`: a YAML file of named cases, each
 * with contract events, an `until` instant and the exact alerts expected by then.
 * This module parses such a file and runs it through replayEvents; it touches no disk
 * (a `rules:` reference is read by the loader the caller passes). Format in docs/rules.md.
 */
import { stringify } from 'yaml'
import { type Level, type ReplayLine, type TimedEvent, validateEvent } from '../common/contract/index.ts'
import { defaultContext } from './context.ts'
import { replayEvents, toLine } from './replay.ts'
import { RulesFileError, contentVersion, readYaml, rulesFromValue } from './rulesFile.ts'
import { RULES, defaultSettings, type RuleSettings } from './settings.ts'
import { parseInstant } from '../common/time/index.ts'

/** ExpectedAlert is one alert a test expects; `dept` is compared only when given. */
export interface ExpectedAlert {
  rule: string
  level: Level
  caseId: string
  dept?: string
  /** epoch ms: instants are compared, not their spellings */
  at: number
}

/** RuleTest is one named case of a test file, ready to run. */
export interface RuleTest {
  /** position in the file's `tests` list, for messages */
  index: number
  name: string
  until: number
  /** as written, with default id/source; validated when the test runs */
  events: unknown[]
  expect: ExpectedAlert[]
  settings: RuleSettings
}

/** RuleTestFile is a parsed test file. */
export interface RuleTestFile {
  origin: string
  tests: RuleTest[]
}

/** ShownAlert is an alert as printed: `at` in RFC 3339 in the platform zone, `dept` when known. */
export type ShownAlert = Omit<ReplayLine, 'dept'> & { dept?: string }

/** TestResult is the outcome of one test: invalid events, or the alerts missing and unexpected. */
export interface TestResult {
  test: RuleTest
  origin: string
  ok: boolean
  /** invalid events, each naming its field; when present the rules did not run */
  invalid: string[]
  missing: ShownAlert[]
  unexpected: ReplayLine[]
}

/** TestFileError is a malformed test file; its message names the file, the test index and the key. */
export class TestFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TestFileError'
  }
}

/** LoadRules reads the rules file a test file refers to, by the reference as written. */
export type LoadRules = (ref: string) => RuleSettings

const TEST_KEYS = ['name', 'until', 'events', 'expect', 'rules', 'settings']
const EXPECT_KEYS = ['rule', 'level', 'caseId', 'dept', 'at']

/** parseTestFile checks a test file's text and returns its tests; a malformed file throws TestFileError. */
export function parseTestFile(text: string, origin: string, loadRules: LoadRules): RuleTestFile {
  const fail = (path: string, reason: string): never => {
    throw new TestFileError(`${origin}: ${path ? `${path}: ` : ''}${reason}`)
  }
  let doc: unknown
  try {
    doc = readYaml(text, origin)
  } catch (e) {
    throw e instanceof RulesFileError ? new TestFileError(e.message) : e
  }
  const top = mapping(doc, '', fail)
  onlyKeys(top, ['rules', 'settings', 'tests'], '', fail)
  if (!Array.isArray(top.tests) || top.tests.length === 0) fail('tests', `must be a non-empty list of tests, got ${show(top.tests)}`)
  const fileSettings = settingsOf(top, '', origin, loadRules, fail) ?? defaultSettings()
  const tests = (top.tests as unknown[]).map((t, i) => testOf(t, i, fileSettings, origin, loadRules, fail))
  return { origin, tests }
}

type Fail = (path: string, reason: string) => never

function testOf(value: unknown, index: number, fileSettings: RuleSettings, origin: string, load: LoadRules, fail: Fail): RuleTest {
  const path = `tests[${index}]`
  const t = mapping(value, path, fail)
  onlyKeys(t, TEST_KEYS, path, fail)
  if (typeof t.name !== 'string' || !t.name.trim()) fail(`${path}.name`, `must be a non-empty string, got ${show(t.name)}`)
  const name = (t.name as string).trim()
  const until = instant(t.until, `${path}.until`, fail)
  if (!Array.isArray(t.events)) fail(`${path}.events`, `must be a list of events, got ${show(t.events)}`)
  if (!Array.isArray(t.expect)) fail(`${path}.expect`, `must be a list of alerts ([] for none), got ${show(t.expect)}`)
  const events = (t.events as unknown[]).map((e, i) => withDefaults(e, name, i))
  const expect = (t.expect as unknown[]).map((e, i) => expectedOf(e, `${path}.expect[${i}]`, fail))
  const settings = settingsOf(t, path, origin, load, fail) ?? fileSettings
  return { index, name, until, events, expect, settings }
}

/** settingsOf reads `rules: FILE` or inline `settings:` at a level of the test file; undefined when neither. */
function settingsOf(o: Record<string, unknown>, path: string, origin: string, load: LoadRules, fail: Fail): RuleSettings | undefined {
  const at = (k: string) => (path ? `${path}.${k}` : k)
  if (o.rules !== undefined && o.settings !== undefined) fail(path || at('rules'), 'give either rules (a file) or settings (inline), not both')
  try {
    if (o.settings !== undefined) return rulesFromValue(o.settings, { origin, at: at('settings'), version: contentVersion(JSON.stringify(o.settings)) })
    if (o.rules === undefined) return undefined
    if (typeof o.rules !== 'string' || !o.rules.trim()) fail(at('rules'), `must be the path of a rules file, got ${show(o.rules)}`)
    return load(o.rules as string)
  } catch (e) {
    if (!(e instanceof RulesFileError)) throw e
    // An inline error already names this file; a referenced one names its own file.
    return fail(o.settings !== undefined ? '' : at('rules'), e.message.startsWith(`${origin}: `) ? e.message.slice(origin.length + 2) : e.message)
  }
}

function expectedOf(value: unknown, path: string, fail: Fail): ExpectedAlert {
  const e = mapping(value, path, fail)
  onlyKeys(e, EXPECT_KEYS, path, fail)
  if (typeof e.rule !== 'string' || !(e.rule in RULES)) fail(`${path}.rule`, `must be a rule id such as approval.overdue, got ${show(e.rule)}`)
  if (e.level !== 'yellow' && e.level !== 'red') fail(`${path}.level`, `must be yellow or red, got ${show(e.level)}`)
  if (typeof e.caseId !== 'string' || !e.caseId) fail(`${path}.caseId`, `must be a non-empty string, got ${show(e.caseId)}`)
  if (e.dept !== undefined && (typeof e.dept !== 'string' || !e.dept)) fail(`${path}.dept`, `must be a non-empty string, got ${show(e.dept)}`)
  const out: ExpectedAlert = { rule: e.rule as string, level: e.level as Level, caseId: e.caseId as string, at: instant(e.at, `${path}.at`, fail) }
  if (e.dept !== undefined) out.dept = e.dept as string
  return out
}

/** withDefaults fills `id` (name-index) and `source` so that test events stay short. */
function withDefaults(e: unknown, name: string, i: number): unknown {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return e
  return { id: `${name}-${i}`, source: 'rules-test', ...(e as Record<string, unknown>) }
}

/** runTest replays one test's events with its settings and compares the alerts raised with those expected. */
export function runTest(test: RuleTest, origin: string): TestResult {
  const ctx = defaultContext({ settings: test.settings })
  const events: TimedEvent[] = []
  const invalid: string[] = []
  test.events.forEach((raw, i) => {
    const v = validateEvent(raw)
    if (!v.ok) invalid.push(`events[${i}].${v.field}: ${v.message}`)
    else events.push({ ev: v.event, t: Date.parse(v.event.at), seq: i })
  })
  if (invalid.length) return { test, origin, ok: false, invalid, missing: [], unexpected: [] }
  const raised = replayEvents(events, test.until, ctx).fires.map((f) => toLine(f, ctx))
  const { missing, unexpected } = compare(test.expect, raised)
  const shown = missing.map((e) => ({ ...e, at: ctx.zone.format(e.at) }))
  return { test, origin, ok: missing.length === 0 && unexpected.length === 0, invalid, missing: shown, unexpected }
}

/** runTestFile runs every test of a file, in order. */
export function runTestFile(file: RuleTestFile): TestResult[] {
  return file.tests.map((t) => runTest(t, file.origin))
}

/** compare matches expected and raised alerts one to one, whatever their order. */
export function compare(expected: readonly ExpectedAlert[], raised: readonly ReplayLine[]): { missing: ExpectedAlert[]; unexpected: ReplayLine[] } {
  const left = [...raised]
  const missing: ExpectedAlert[] = []
  for (const e of expected) {
    const i = left.findIndex(
      (r) => r.rule === e.rule && r.level === e.level && r.caseId === e.caseId && Date.parse(r.at) === e.at && (e.dept === undefined || e.dept === r.dept),
    )
    if (i < 0) missing.push(e)
    else left.splice(i, 1)
  }
  return { missing, unexpected: left }
}

/**
 * formatResult renders one result: `PASS name`, or `FAIL name` with the file, the test
 * index and a diff: `-` an expected alert that was not raised, `+` a raised alert that
 * was not expected. Diff lines are YAML, so a `+` line can be pasted into `expect`.
 */
export function formatResult(r: TestResult): string {
  if (r.ok) return `PASS ${r.test.name}\n`
  const lines = [`FAIL ${r.test.name}`, `  in ${r.origin}, tests[${r.test.index}]`]
  for (const msg of r.invalid) lines.push(`  invalid event: ${msg}`)
  if (r.missing.length || r.unexpected.length) lines.push('  (- expected but not raised, + raised but not expected)')
  const diff = [
    ...r.missing.map((e) => ({ t: Date.parse(e.at), line: `  - ${flow(e)}` })),
    ...r.unexpected.map((a) => ({ t: Date.parse(a.at), line: `  + ${flow(a)}` })),
  ].sort((a, b) => a.t - b.t)
  for (const d of diff) lines.push(d.line)
  return `${lines.join('\n')}\n`
}

/** flow prints an alert as a one-line YAML mapping in contract field order. */
function flow(a: ShownAlert): string {
  const o = { rule: a.rule, level: a.level, caseId: a.caseId, ...(a.dept !== undefined ? { dept: a.dept } : {}), at: a.at }
  return stringify(o, { collectionStyle: 'flow', lineWidth: 0 }).trim()
}

function instant(v: unknown, path: string, fail: Fail): number {
  const t = typeof v === 'string' ? parseInstant(v) : NaN
  if (Number.isNaN(t)) fail(path, `must be an RFC 3339 instant with an offset, e.g. "2026-12-31T00:00:00+08:00", got ${show(v)}`)
  return t
}

function mapping(v: unknown, path: string, fail: Fail): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path || '(file)', `must be a mapping, got ${show(v)}`)
  return v as Record<string, unknown>
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], path: string, fail: Fail): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(path ? `${path}.${k}` : k, `unknown key; expected ${allowed.join(', ')}`)
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v)
}
