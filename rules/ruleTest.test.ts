import { describe, expect, it } from 'vitest'
import { RulesFileError, parseRulesFile } from './rulesFile.ts'
import { TestFileError, compare, formatResult, parseTestFile, runTest, runTestFile, type LoadRules } from './ruleTest.ts'
import { defaultSettings } from './settings.ts'

const ACCEPTED = '{ kind: approval, type: accepted, caseId: A-1, dept: market, at: "2026-09-28T10:00:00+08:00", attrs: { itemCode: M, itemName: 食品经营许可, promisedDays: 5, legalDays: 20 } }'

/** one builds a file holding one test with the given expectation lines. */
function one(expect: string[], extra = ''): string {
  return `${extra}tests:
  - name: 国庆假期顺延
    until: 2026-12-31T00:00:00+08:00
    events:
      - ${ACCEPTED}
    expect:${expect.length ? expect.map((l) => `\n      - ${l}`).join('') : ' []'}
`
}

const YELLOW = '{ rule: approval.due_soon, level: yellow, caseId: A-1, at: "2026-10-09T00:00:00+08:00" }'
const RED = '{ rule: approval.overdue, level: red, caseId: A-1, at: "2026-10-11T00:00:00+08:00" }'

const noRules: LoadRules = (ref) => {
  throw new Error(`unexpected load of ${ref}`)
}

function run(text: string, load: LoadRules = noRules) {
  return runTestFile(parseTestFile(text, 't.yaml', load))
}

function malformed(text: string, load: LoadRules = noRules): string {
  try {
    parseTestFile(text, 't.yaml', load)
  } catch (e) {
    expect(e).toBeInstanceOf(TestFileError)
    return (e as Error).message
  }
  throw new Error('expected a TestFileError')
}

describe('running a test', () => {
  it('passes when exactly the expected alerts are raised, in any order', () => {
    const [r] = run(one([RED, YELLOW]))
    expect(r!.ok).toBe(true)
    expect(formatResult(r!)).toBe('PASS 国庆假期顺延\n')
  })

  it('compares instants, not their spellings, and dept only when given', () => {
    const [r] = run(one(['{ rule: approval.due_soon, level: yellow, caseId: A-1, dept: market, at: "2026-10-08T16:00:00Z" }', RED]))
    expect(r!.ok).toBe(true)
    const [wrongDept] = run(one(['{ rule: approval.due_soon, level: yellow, caseId: A-1, dept: tax, at: "2026-10-09T00:00:00+08:00" }', RED]))
    expect(wrongDept!.ok).toBe(false)
  })

  it('fails with a diff: - for a missing alert, + for an unexpected one', () => {
    const [r] = run(one(['{ rule: approval.due_soon, level: yellow, caseId: A-1, at: "2026-10-08T00:00:00+08:00" }', RED]))
    expect(r!.ok).toBe(false)
    expect(formatResult(r!)).toBe(
      [
        'FAIL 国庆假期顺延',
        '  in t.yaml, tests[0]',
        '  (- expected but not raised, + raised but not expected)',
        '  - { rule: approval.due_soon, level: yellow, caseId: A-1, at: 2026-10-08T00:00:00+08:00 }',
        '  + { rule: approval.due_soon, level: yellow, caseId: A-1, dept: market, at: 2026-10-09T00:00:00+08:00 }',
        '',
      ].join('\n'),
    )
  })

  it('fails a test whose event breaks the contract, naming the field', () => {
    const text = one([]).replace('promisedDays: 5, ', '')
    const [r] = run(text)
    expect(r!.ok).toBe(false)
    expect(r!.invalid).toEqual(['events[0].attrs.promisedDays: is required'])
    expect(formatResult(r!)).toContain('invalid event: events[0].attrs.promisedDays: is required')
  })

  it('gives events a default id (name-index) and source', () => {
    const file = parseTestFile(one([YELLOW, RED]), 't.yaml', noRules)
    expect(file.tests[0]!.events[0]).toMatchObject({ id: '国庆假期顺延-0', source: 'rules-test', caseId: 'A-1' })
  })

  it('keeps an id and source that are given', () => {
    const text = one([YELLOW, RED]).replace('{ kind: approval', '{ id: ev-9, source: hall, kind: approval')
    expect(parseTestFile(text, 't.yaml', noRules).tests[0]!.events[0]).toMatchObject({ id: 'ev-9', source: 'hall' })
  })

  it('stops the virtual clock at until', () => {
    const text = one([YELLOW]).replace('until: 2026-12-31T00:00:00+08:00', 'until: 2026-10-10T00:00:00+08:00')
    expect(run(text)[0]!.ok).toBe(true)
  })
})

describe('settings of a test file', () => {
  it('reads inline settings in the rules-file format', () => {
    const text = one(['{ rule: approval.due_soon, level: yellow, caseId: A-1, at: "2026-10-01T00:00:00+08:00" }', RED], 'settings:\n  rules:\n    approval.due_soon: { marginDays: 3 }\n')
    expect(run(text)[0]!.ok).toBe(true)
  })

  it('loads a rules file through the loader, by the reference as written', () => {
    const seen: string[] = []
    const load: LoadRules = (ref) => {
      seen.push(ref)
      return parseRulesFile('rules:\n  approval.overdue: { enabled: false }\n', ref)
    }
    expect(run(one([YELLOW], 'rules: ./city.yaml\n'), load)[0]!.ok).toBe(true)
    expect(seen).toEqual(['./city.yaml'])
  })

  it('lets one test bring its own settings, replacing the file settings', () => {
    const text = `settings:
  rules:
    approval.overdue: { enabled: false }
tests:
  - name: own
    settings: {}
    until: 2026-12-31T00:00:00+08:00
    events: [${ACCEPTED}]
    expect: [${YELLOW}, ${RED}]
  - name: file
    until: 2026-12-31T00:00:00+08:00
    events: [${ACCEPTED}]
    expect: [${YELLOW}]
`
    expect(run(text).map((r) => r.ok)).toEqual([true, true])
  })

  it('uses the contract defaults when neither is given', () => {
    expect(parseTestFile(one([]), 't.yaml', noRules).tests[0]!.settings).toEqual(defaultSettings())
  })
})

describe('malformed test files', () => {
  it.each([
    ['no tests', 'rules: x.yaml\n', 't.yaml: tests: must be a non-empty list of tests, got nothing'],
    ['an unknown top-level key', `test:\n  - name: x\n`, 't.yaml: test: unknown key; expected rules, settings, tests'],
    ['a test that is not a mapping', 'tests: [x]\n', 't.yaml: tests[0]: must be a mapping, got "x"'],
    ['a missing name', 'tests:\n  - { until: "2026-12-31T00:00:00+08:00", events: [], expect: [] }\n', 't.yaml: tests[0].name: must be a non-empty string, got nothing'],
  ])('rejects %s', (_what, text, message) => {
    expect(malformed(text)).toBe(message)
  })

  it('names the test index and the key', () => {
    const good = one([]).replace('tests:\n', '')
    expect(malformed(`tests:\n${good}${good.replace('until: 2026-12-31T00:00:00+08:00', 'until: 2026-12-31')}`)).toBe(
      't.yaml: tests[1].until: must be an RFC 3339 instant with an offset, e.g. "2026-12-31T00:00:00+08:00", got "2026-12-31"',
    )
    expect(malformed(one(['{ rule: approval.due_son, level: yellow, caseId: A-1, at: "2026-10-09T00:00:00+08:00" }']))).toBe(
      't.yaml: tests[0].expect[0].rule: must be a rule id such as approval.overdue, got "approval.due_son"',
    )
    expect(malformed(one(['{ rule: approval.due_soon, level: amber, caseId: A-1, at: "2026-10-09T00:00:00+08:00" }']))).toBe(
      't.yaml: tests[0].expect[0].level: must be yellow or red, got "amber"',
    )
    expect(malformed(one(['{ rule: approval.due_soon, level: yellow, case: A-1, at: "2026-10-09T00:00:00+08:00" }']))).toBe(
      't.yaml: tests[0].expect[0].case: unknown key; expected rule, level, caseId, dept, at',
    )
    expect(malformed(one([]).replace('    expect: []\n', ''))).toBe('t.yaml: tests[0].expect: must be a list of alerts ([] for none), got nothing')
    expect(malformed(one([]).replace('    events:\n', '    event:\n'))).toMatch(/^t\.yaml: tests\[0\]\.event: unknown key/)
  })

  it('rejects both rules and settings', () => {
    expect(malformed(one([], 'rules: a.yaml\nsettings: {}\n'))).toBe('t.yaml: rules: give either rules (a file) or settings (inline), not both')
  })

  it('passes on the error of inline settings with its path', () => {
    expect(malformed(one([], 'settings:\n  rules:\n    approval.due_soon: { marginDays: two }\n'))).toBe(
      't.yaml: settings.rules.approval.due_soon.marginDays: must be an integer ≥ 0, got "two"',
    )
  })

  it('passes on the error of a referenced rules file', () => {
    const load: LoadRules = (ref) => {
      throw new RulesFileError(ref, '', 'cannot read: no such file')
    }
    expect(malformed(one([], 'rules: ./none.yaml\n'), load)).toBe('t.yaml: rules: ./none.yaml: cannot read: no such file')
  })

  it('names the line of a YAML syntax error', () => {
    expect(malformed('tests:\n  - name: x\n   until: y\n')).toMatch(/^t\.yaml: line 3, column \d+: YAML syntax error: /)
  })
})

describe('compare', () => {
  it('matches alerts one to one', () => {
    const a = { rule: 'approval.poor_rating', level: 'yellow' as const, caseId: 'H-1', dept: 'health', at: '2026-03-02T10:00:00+08:00' }
    const e = { rule: a.rule, level: a.level, caseId: a.caseId, at: Date.parse(a.at) }
    expect(compare([e, e], [a])).toEqual({ missing: [e], unexpected: [] })
    expect(compare([], [a])).toEqual({ missing: [], unexpected: [a] })
  })
})

describe('runTest', () => {
  it('reports the origin it is given', () => {
    const file = parseTestFile(one([YELLOW, RED]), 'x.yaml', noRules)
    expect(runTest(file.tests[0]!, 'x.yaml').origin).toBe('x.yaml')
  })
})
