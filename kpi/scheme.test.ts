import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatCountSum } from './countSum.ts'
import { DEFAULT_SCHEME_FILE, defaultScheme, loadScheme, parseScheme, SchemeError, type Formula } from './scheme.ts'

const DEFAULT_TEXT = readFileSync(DEFAULT_SCHEME_FILE, 'utf8')

/** formulaText writes a formula the way kpi.md §3's table does. */
function formulaText(f: Formula): string {
  if (f.type === 'ratio') return `${formatCountSum(f.numerator)} / ${formatCountSum(f.denominator)}`
  return `${f.points.map((p) => `${p.points.toDecimal()} × ${p.count}`).join(' + ')} per ${f.per.toDecimal()} ${formatCountSum(f.of)}`
}

/** errorOf returns the message parseScheme throws for a text. */
function errorOf(text: string): string {
  try {
    parseScheme(text, 'scheme.yaml')
  } catch (e) {
    expect(e).toBeInstanceOf(SchemeError)
    return (e as Error).message
  }
  throw new Error('the scheme was accepted')
}

/** withLine swaps one line of the default scheme for another (or removes it), to break it in one place. */
function withLine(from: string, to: string | null): string {
  expect(DEFAULT_TEXT).toContain(from)
  return DEFAULT_TEXT.replace(from, to ?? '')
}

describe('the default scheme', () => {
  it('is the table of kpi.md §3: categories, indicators, formulas and weights', () => {
    const s = defaultScheme()
    const rows = s.categories.flatMap((c) => c.indicators.map((i) => [c.name, c.label, i.name, formulaText(i.formula), i.weight.toDecimal()]))
    expect(rows).toEqual([
      ['efficiency', '效能', 'approval_on_time', 'approval.on_time / approval.completed', '15'],
      ['efficiency', '效能', 'approval_early', 'approval.early / approval.completed', '5'],
      ['efficiency', '效能', 'enforcement_on_time', 'enforcement.on_time / enforcement.decided', '10'],
      ['compliance', '规范', 'cards', '1 × cards.yellow + 3 × cards.red per 100 workload', '25'],
      ['completion', '完成', 'petition_accept_on_time', 'petition.accepted_on_time / petition.accepted', '5'],
      ['completion', '完成', 'petition_reply_on_time', 'petition.replied_on_time / petition.replied', '10'],
      ['completion', '完成', 'supervision_on_time', 'supervision.on_time / supervision.completed', '5'],
      ['evaluation', '评价', 'approval_rating', 'approval.evaluated - approval.poor / approval.evaluated', '8'],
      ['evaluation', '评价', 'petition_satisfaction', 'petition.satisfied / petition.evaluated', '7'],
      ['cooperation', '配合', 'ack_on_time', 'threads.ack_on_time / threads.ack_due', '5'],
      ['cooperation', '配合', 'rectification_on_time', 'threads.rect_on_time / threads.rect_due', '5'],
    ])
    expect(s.categories.map((c) => `${c.name} ${c.weight.toDecimal()}`)).toEqual(['efficiency 30', 'compliance 25', 'completion 20', 'evaluation 15', 'cooperation 10'])
    expect(s.grades.map((g) => `${g.name} ${g.min.toDecimal()}`)).toEqual(['优秀 90', '良好 80', '合格 60', '不合格 0'])
  })

  it('names the indicators and categories that kpi.md §4 prints, in the examples\' order', () => {
    const line = JSON.parse(readFileSync(new URL('../common/contract/examples/petitions.kpi.expected.jsonl', import.meta.url), 'utf8').split('\n')[0]!)
    const s = defaultScheme()
    expect(s.categories.flatMap((c) => c.indicators.map((i) => i.name))).toEqual(Object.keys(line.indicators))
    expect(s.categories.map((c) => c.name)).toEqual(Object.keys(line.categories))
  })
})

describe('a scheme\'s version', () => {
  it('is a hash of the scheme, not of its comments or layout', () => {
    const v = defaultScheme().version
    expect(v).toMatch(/^sha256:[0-9a-f]{12}$/)
    const relaid = DEFAULT_TEXT.replace(/^#.*\n/gm, '').replace('points: { cards.yellow: 1, cards.red: 3 }', 'points:\n            cards.yellow: 1.0\n            "cards.red": 3')
    expect(parseScheme(relaid).version).toBe(v)
    expect(parseScheme(withLine('numerator: approval.evaluated - approval.poor', 'numerator: approval.evaluated -approval.poor')).version).toBe(v)
  })

  it('changes with any weight, formula, cut-off or label', () => {
    const v = defaultScheme().version
    expect(parseScheme(withLine('weight: 15', 'weight: 16')).version).not.toBe(v)
    expect(parseScheme(withLine('per: 100', 'per: 50')).version).not.toBe(v)
    expect(parseScheme(withLine('{ name: 良好, min: 80 }', '{ name: 良好, min: 85 }')).version).not.toBe(v)
    expect(parseScheme(withLine('label: 效能', 'label: 效率')).version).not.toBe(v)
    expect(parseScheme(withLine('numerator: approval.early', 'numerator: approval.on_time')).version).not.toBe(v)
  })
})

describe('scheme validation', () => {
  it('names the key of a weight that is not a number > 0', () => {
    expect(errorOf(withLine('weight: 15', 'weight: "15"'))).toBe('scheme.yaml: categories.efficiency.indicators.approval_on_time.weight: must be a number > 0, got "15"')
    expect(errorOf(withLine('weight: 15', 'weight: 0'))).toBe('scheme.yaml: categories.efficiency.indicators.approval_on_time.weight: must be a number > 0, got 0')
    expect(errorOf(withLine('        weight: 15\n', null))).toBe('scheme.yaml: categories.efficiency.indicators.approval_on_time.weight: is required: a number > 0')
  })

  it('names an unknown count with the nearest known one', () => {
    expect(errorOf(withLine('denominator: approval.completed', 'denominator: approval.complete'))).toBe(
      'scheme.yaml: categories.efficiency.indicators.approval_on_time.denominator: unknown count "approval.complete"; did you mean approval.completed?',
    )
    expect(errorOf(withLine('cards.red: 3', 'cards.rod: 3'))).toBe(
      'scheme.yaml: categories.compliance.indicators.cards.deduction.points.cards.rod: unknown count "cards.rod"; did you mean cards.red?',
    )
  })

  it('wants a ratio or a deduction, whole, not both', () => {
    expect(errorOf(withLine('        denominator: approval.completed\n', null))).toBe(
      'scheme.yaml: categories.efficiency.indicators.approval_on_time.denominator: is required with a numerator: the counts scored against, e.g. approval.completed',
    )
    expect(errorOf(withLine('          of: workload', '          of: workload\n        numerator: workload'))).toBe(
      'scheme.yaml: categories.compliance.indicators.cards: gives both a ratio (numerator, denominator) and a deduction: choose one',
    )
    expect(errorOf(withLine('points: { cards.yellow: 1, cards.red: 3 }', 'points: { cards.yellow: -1 }'))).toBe(
      'scheme.yaml: categories.compliance.indicators.cards.deduction.points.cards.yellow: must be a number ≥ 0, got -1',
    )
    expect(errorOf(withLine('per: 100', 'per: -100'))).toBe('scheme.yaml: categories.compliance.indicators.cards.deduction.per: must be a number > 0, got -100')
  })

  it('refuses unknown keys, duplicate keys and an indicator name used twice', () => {
    expect(errorOf(withLine('weight: 15', 'weight: 15\n        wieght: 3'))).toBe(
      'scheme.yaml: categories.efficiency.indicators.approval_on_time.wieght: unknown key; expected label, weight, numerator, denominator, deduction',
    )
    expect(errorOf(withLine('weight: 15', 'weight: 15\n        weight: 3'))).toMatch(/^scheme\.yaml: line \d+, column \d+: YAML syntax error: Map keys must be unique/)
    expect(errorOf(withLine('      petition_satisfaction:', '      approval_on_time:'))).toBe(
      'scheme.yaml: categories.evaluation.indicators.approval_on_time: is already an indicator at categories.efficiency.indicators.approval_on_time: indicator names must differ across categories',
    )
    expect(errorOf(withLine('  efficiency:', '  Efficiency:'))).toBe('scheme.yaml: categories.Efficiency: must be a name of lower-case letters, digits and _, starting with a letter')
  })

  it('wants grades highest first, ending at 0', () => {
    expect(errorOf(withLine('{ name: 良好, min: 80 }', '{ name: 良好, min: 95 }'))).toBe('scheme.yaml: grades[1].min: must be below the min of grades[0] (90): highest first')
    expect(errorOf(withLine('  - { name: 不合格, min: 0 }\n', null))).toBe('scheme.yaml: grades[2].min: must be 0: every score gets a grade')
    expect(errorOf(withLine('{ name: 合格, min: 60 }', '{ name: 良好, min: 60 }'))).toBe('scheme.yaml: grades[2].name: "良好" is already a grade')
    expect(errorOf(withLine('{ name: 优秀, min: 90 }', '{ name: 优秀, min: 101 }'))).toBe('scheme.yaml: grades[0].min: must be a number from 0 to 100, got 101')
  })

  it('wants categories and grades, and says so for an empty file', () => {
    expect(errorOf('')).toBe('scheme.yaml: categories: is required: the categories and their indicators')
    expect(errorOf('categories: {}\ngrades: [{ name: x, min: 0 }]')).toBe('scheme.yaml: categories: must hold at least one category')
    expect(errorOf('categories:\n  a: { indicators: { b: { weight: 1, numerator: workload, denominator: workload } } }')).toBe('scheme.yaml: grades: is required: the grade cut-offs, highest first')
    expect(errorOf('categories: [1]')).toBe('scheme.yaml: categories: must be a mapping, got [1]')
    expect(errorOf('categories: {')).toMatch(/^scheme\.yaml: line 1, column \d+: YAML syntax error/)
  })

  it('takes a scheme of its own with decimal weights and the deduction\'s defaults', () => {
    const s = parseScheme(`
categories:
  speed:
    indicators:
      fast: { weight: 0.1, numerator: approval.early, denominator: approval.completed }
      cards: { weight: 0.2, deduction: { points: { cards.red: 2.5 } } }
grades: [{ name: good, min: 50.5 }, { name: bad, min: 0 }]
`)
    expect(s.categories[0]!.weight.toDecimal()).toBe('0.3')
    expect(s.categories[0]!.indicators[1]!.formula).toMatchObject({ type: 'deduction', of: [{ sign: 1, count: 'workload' }] })
    expect(s.grades[0]!.min.toDecimal()).toBe('50.5')
  })

  it('names the file it cannot read', () => {
    expect(() => loadScheme('/nonexistent/scheme.yaml')).toThrow('/nonexistent/scheme.yaml: cannot read: no such file')
  })
})
