import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RulesFileError, loadRulesFile, parseRulesFile, rulesFromValue } from './rulesFile.ts'
import { defaultSettings } from './settings.ts'

const FULL = `
version: "2026-11-城区"
rules:
  approval.due_soon: { enabled: true, level: yellow, marginDays: 3 }
  approval.overdue: { level: yellow }
  approval.accept_delay: { days: 6 }
  approval.long_suspension: { days: 12 }
  approval.poor_rating: { maxScore: 1 }
  enforcement.due_soon: { marginDays: 15 }
  enforcement.overdue: { defaultLimitDays: 60 }
  petition.accept_overdue: { days: 10 }
  petition.reply_due_soon: { marginDays: 7 }
  petition.reply_overdue: { days: 45 }
  petition.repeat: { count: 4, windowDays: 20 }
  supervision.overdue: { enabled: false }
overrides:
  - match: { itemCode: HSG-002 }
    rules:
      approval.due_soon: { marginDays: 1 }
      approval.fee_mismatch: { enabled: false }
  - match: { dept: housing, itemCode: HSG-009 }
    rules:
      petition.reply_overdue: { days: 30 }
`

/** errorOf returns the message a rules text is rejected with. */
function errorOf(text: string): string {
  try {
    parseRulesFile(text, 'rules.yaml')
  } catch (e) {
    expect(e).toBeInstanceOf(RulesFileError)
    return (e as Error).message
  }
  throw new Error('expected a RulesFileError')
}

describe('parseRulesFile', () => {
  it('maps every key onto the settings', () => {
    const s = parseRulesFile(FULL, 'rules.yaml')
    expect(s.version).toBe('2026-11-城区')
    expect(s.approval).toEqual({ dueSoonMarginDays: 3, acceptDays: 6, longSuspensionDays: 12, poorRatingMax: 1 })
    expect(s.enforcement).toEqual({ dueSoonMarginDays: 15, defaultLimitDays: 60 })
    expect(s.petition).toEqual({ acceptDays: 10, replyDays: 45, dueSoonMarginDays: 7, repeatCount: 4, repeatWindowDays: 20 })
    expect(s.rules['approval.overdue']).toEqual({ enabled: true, level: 'yellow' })
    expect(s.rules['supervision.overdue']).toEqual({ enabled: false, level: 'red' })
  })

  it('keeps the overrides in file order, as patches', () => {
    expect(parseRulesFile(FULL).overrides).toEqual([
      { match: { itemCode: 'HSG-002' }, rules: { 'approval.fee_mismatch': { enabled: false } }, approval: { dueSoonMarginDays: 1 } },
      { match: { dept: 'housing', itemCode: 'HSG-009' }, petition: { replyDays: 30 } },
    ])
  })

  it('keeps the contract defaults for whatever is not given', () => {
    const s = parseRulesFile('rules:\n  approval.due_soon: { marginDays: 1 }\n')
    const d = defaultSettings()
    expect(s.approval).toEqual({ ...d.approval, dueSoonMarginDays: 1 })
    expect(s.rules).toEqual(d.rules)
    expect(s.enforcement).toEqual(d.enforcement)
    expect(s.petition).toEqual(d.petition)
    expect(s.overrides).toEqual([])
  })

  it('treats an empty rules mapping, all commented out, as no rules', () => {
    expect(parseRulesFile('rules:\n  # approval.due_soon: { marginDays: 1 }\n').approval).toEqual(defaultSettings().approval)
  })

  it('treats an empty file as all defaults', () => {
    const s = parseRulesFile('# nothing changed\n')
    expect({ ...s, version: '' }).toEqual({ ...defaultSettings(), version: '' })
  })

  it('versions a file without `version` by a short hash of its text', () => {
    const a = parseRulesFile('rules:\n  approval.due_soon: { marginDays: 1 }\n').version
    const b = parseRulesFile('rules:\n  approval.due_soon: { marginDays: 2 }\n').version
    expect(a).toMatch(/^sha256:[0-9a-f]{12}$/)
    expect(b).not.toBe(a)
    expect(parseRulesFile('rules:\n  approval.due_soon: { marginDays: 1 }\n').version).toBe(a)
  })

  it('accepts the two reply terms when they agree', () => {
    const s = parseRulesFile('rules:\n  petition.reply_due_soon: { days: 30 }\n  petition.reply_overdue: { days: 30 }\n')
    expect(s.petition.replyDays).toBe(30)
  })
})

describe('parseRulesFile validation', () => {
  it('names the origin, the rule, the key and the value', () => {
    expect(errorOf('rules:\n  approval.due_soon: { marginDays: two }\n')).toBe(
      'rules.yaml: rules.approval.due_soon.marginDays: must be an integer ≥ 0, got "two"',
    )
  })

  it.each([
    ['approval.accept_delay: { days: 0 }', 'rules.approval.accept_delay.days: must be an integer ≥ 1, got 0'],
    ['approval.long_suspension: { days: 1.5 }', 'rules.approval.long_suspension.days: must be an integer ≥ 1, got 1.5'],
    ['enforcement.due_soon: { marginDays: -1 }', 'rules.enforcement.due_soon.marginDays: must be an integer ≥ 0, got -1'],
    ['approval.poor_rating: { maxScore: 6 }', 'rules.approval.poor_rating.maxScore: must be an integer 1..5, got 6'],
    ['petition.repeat: { count: 1 }', 'rules.petition.repeat.count: must be an integer ≥ 2, got 1'],
    ['petition.repeat: { windowDays: "30" }', 'rules.petition.repeat.windowDays: must be an integer ≥ 1, got "30"'],
    ['approval.overdue: { level: orange }', 'rules.approval.overdue.level: must be yellow or red, got "orange"'],
    ['approval.overdue: { enabled: yes }', 'rules.approval.overdue.enabled: must be true or false, got "yes"'],
    ['approval.overdue: red', 'rules.approval.overdue: must be a mapping, got "red"'],
  ])('rejects %s', (line, message) => {
    expect(errorOf(`rules:\n  ${line}\n`)).toBe(`rules.yaml: ${message}`)
  })

  it('rejects an unknown rule id and suggests the closest', () => {
    expect(errorOf('rules:\n  approval.due_son: { marginDays: 1 }\n')).toBe('rules.yaml: rules.approval.due_son: unknown rule; did you mean approval.due_soon?')
    expect(errorOf('rules:\n  kpi.score: {}\n')).toMatch(/^rules\.yaml: rules\.kpi\.score: unknown rule; the rules are approval\.due_soon, /)
  })

  it('rejects a key the rule does not take, listing those it does', () => {
    expect(errorOf('rules:\n  approval.overdue: { marginDays: 1 }\n')).toBe('rules.yaml: rules.approval.overdue.marginDays: unknown key; approval.overdue takes enabled, level')
    expect(errorOf('rules:\n  petition.repeat: { days: 3 }\n')).toBe('rules.yaml: rules.petition.repeat.days: unknown key; petition.repeat takes enabled, level, count, windowDays')
  })

  it('rejects reply terms that disagree', () => {
    expect(errorOf('rules:\n  petition.reply_due_soon: { days: 30 }\n  petition.reply_overdue: { days: 60 }\n')).toBe(
      'rules.yaml: rules.petition.reply_overdue.days: 60 disagrees with rules.petition.reply_due_soon.days (30): both set petition.replyDays',
    )
  })

  it('rejects unknown top-level keys, a bad version and misshapen sections', () => {
    expect(errorOf('rule:\n  approval.overdue: {}\n')).toBe('rules.yaml: rule: unknown key; expected version, rules, overrides')
    expect(errorOf('version: 3\n')).toBe('rules.yaml: version: must be a string (quote it: version: "3"), got 3')
    expect(errorOf('rules: [approval.overdue]\n')).toBe('rules.yaml: rules: must be a mapping, got ["approval.overdue"]')
    expect(errorOf('overrides: { match: { dept: x } }\n')).toMatch(/^rules\.yaml: overrides: must be a list of \{ match, rules \}/)
    expect(errorOf('- a\n- b\n')).toBe('rules.yaml: must be a mapping, got ["a","b"]')
  })

  it('names the line of a YAML syntax error', () => {
    expect(errorOf('rules:\n  approval.overdue: { level: red\nversion: x\n')).toMatch(/^rules\.yaml: line \d+, column \d+: YAML syntax error: /)
    expect(errorOf('rules:\n  approval.overdue: { level: red }\n  approval.overdue: { level: yellow }\n')).toBe(
      'rules.yaml: line 3, column 3: YAML syntax error: Map keys must be unique',
    )
  })
})

describe('overrides validation', () => {
  const override = (body: string) => errorOf(`overrides:\n  - ${body}\n`)

  it('needs a match with itemCode and/or dept, as non-empty strings', () => {
    expect(override('rules: { approval.overdue: { enabled: false } }')).toBe('rules.yaml: overrides[0].match: is required: { itemCode: …, dept: … } (one or both)')
    expect(override('{ match: {}, rules: { approval.overdue: { enabled: false } } }')).toBe('rules.yaml: overrides[0].match: must give itemCode, dept or both')
    expect(override('{ match: { itemCode: "" }, rules: { approval.overdue: { enabled: false } } }')).toBe(
      'rules.yaml: overrides[0].match.itemCode: must be a non-empty string, got ""',
    )
    expect(override('{ match: { dept: 12 }, rules: { approval.overdue: { enabled: false } } }')).toBe('rules.yaml: overrides[0].match.dept: must be a non-empty string, got 12')
    expect(override('{ match: { item: X }, rules: { approval.overdue: { enabled: false } } }')).toBe('rules.yaml: overrides[0].match.item: unknown key; expected itemCode, dept')
  })

  it('needs rules to change, checked like the top level', () => {
    expect(override('{ match: { dept: housing } }')).toBe('rules.yaml: overrides[0].rules: is required: the rules this override changes')
    expect(override('{ match: { dept: housing }, rules: {} }')).toBe('rules.yaml: overrides[0].rules: must change at least one rule')
    expect(override('{ match: { dept: housing }, rules: { approval.due_soon: { marginDays: x } } }')).toBe(
      'rules.yaml: overrides[0].rules.approval.due_soon.marginDays: must be an integer ≥ 0, got "x"',
    )
    expect(override('{ match: { dept: housing }, when: x, rules: { approval.overdue: { enabled: false } } }')).toBe(
      'rules.yaml: overrides[0].when: unknown key; expected match, rules',
    )
  })

  it('refuses petition.repeat, which is counted across cases', () => {
    expect(override('{ match: { dept: letters }, rules: { petition.repeat: { count: 2 } } }')).toBe(
      'rules.yaml: overrides[0].rules.petition.repeat: cannot be overridden: repeats are counted across cases, so set it under the top-level rules',
    )
    expect(override('{ match: { dept: letters }, rules: { petition.repeat: { enabled: false } } }')).toMatch(/petition\.repeat: cannot be overridden/)
  })

  it('checks the reply terms within one override', () => {
    expect(override('{ match: { dept: letters }, rules: { petition.reply_due_soon: { days: 20 }, petition.reply_overdue: { days: 30 } } }')).toMatch(
      /^rules\.yaml: overrides\[0\]\.rules\.petition\.reply_overdue\.days: 30 disagrees with/,
    )
  })
})

describe('loadRulesFile', () => {
  it('reads a file and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'))
    const good = join(dir, 'good.yaml')
    const bad = join(dir, 'bad.yaml')
    writeFileSync(good, 'version: v7\nrules:\n  approval.overdue: { enabled: false }\n')
    writeFileSync(bad, 'rules:\n  approval.overdue: { enabled: 1 }\n')
    expect(loadRulesFile(good).version).toBe('v7')
    expect(() => loadRulesFile(bad)).toThrow(`${bad}: rules.approval.overdue.enabled: must be true or false, got 1`)
    expect(() => loadRulesFile(join(dir, 'none.yaml'))).toThrow(`${join(dir, 'none.yaml')}: cannot read: no such file`)
  })
})

describe('rulesFromValue', () => {
  it('prefixes key paths for a document embedded in another', () => {
    expect(() => rulesFromValue({ rules: { 'approval.overdue': { level: 'pink' } } }, { origin: 't.yaml', at: 'settings', version: 'x' })).toThrow(
      't.yaml: settings.rules.approval.overdue.level: must be yellow or red, got "pink"',
    )
    expect(rulesFromValue({}, { origin: 't.yaml', version: 'inline' }).version).toBe('inline')
  })
})
