import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatOf, MAX_ENTRIES, parseDepartmentsFile } from './file.ts'

const read = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8')
const HEAD = 'code,name_zh,name_en,kind,parent,active\n'
const csv = (rows: string) => () => parseDepartmentsFile(HEAD + rows, 'departments.csv')
const yaml = (text: string) => () => parseDepartmentsFile(text, 'departments.yaml')

describe('parseDepartmentsFile', () => {
  it('reads the CSV example, with the line of each department', () => {
    const entries = parseDepartmentsFile(read('departments.csv'), 'departments.csv')
    expect(entries.map((e) => [e.where, e.dept.code, e.dept.kind, e.dept.parent, e.dept.active])).toEqual([
      ['line 2', 'gov', 'other', null, true],
      ['line 3', 'market', 'supervision', 'gov', true],
      ['line 4', 'hall', 'approval', 'gov', true],
      ['line 5', 'tax', 'enforcement', null, false],
    ])
    expect(entries[3]!.dept.nameEn).toBe('Tax Bureau, City Branch')
  })

  it('reads the YAML example as the same departments', () => {
    const fromYaml = parseDepartmentsFile(read('departments.yaml'), 'departments.yaml')
    expect(fromYaml.map((e) => e.dept)).toEqual(parseDepartmentsFile(read('departments.csv'), 'x.csv').map((e) => e.dept))
    expect(fromYaml.map((e) => e.where)).toEqual(['entry 1 (line 3)', 'entry 2 (line 7)', 'entry 3 (line 12)', 'entry 4 (line 17)'])
  })

  it('takes a bare YAML list, JSON, and a forced format whatever the name', () => {
    expect(parseDepartmentsFile('- {code: a, name_zh: 甲, name_en: A, kind: other}', 'x.yml')).toHaveLength(1)
    expect(parseDepartmentsFile('[{"code": "a", "name_zh": "甲", "name_en": "A", "kind": "other"}]', 'x.json')).toHaveLength(1)
    expect(parseDepartmentsFile(`${HEAD}a,甲,A,other,,`, 'export.txt', 'csv')).toHaveLength(1)
    expect(() => parseDepartmentsFile('', 'export.txt')).toThrow('export.txt: cannot tell the format from the name: name it .csv or .yaml, or give --format csv|yaml')
  })

  it('names the line and the field of a bad CSV row', () => {
    expect(csv('gov,市政府办公室,General Office,other,,\n市场,市场监管局,Market,supervision,,\n')).toThrow(
      'departments.csv line 3: code "市场" must be a code: ASCII letters, digits and _ . : - , starting with a letter or digit',
    )
    expect(csv('a,甲,A,bureau,,\n')).toThrow('departments.csv line 2: kind "bureau" must be one of approval (审批)')
    expect(csv('a,甲,A,other,,\nb,乙,B,other\n')).toThrow('departments.csv line 3: has 4 fields, the header 6')
    expect(csv('a,甲,A,other,,\na,乙,B,other,,\n')).toThrow('departments.csv line 3: code "a" is listed already (line 2)')
    expect(csv('a,"甲,A,other,,\n')).toThrow('departments.csv: is not valid CSV: line 2: a quoted field is not closed')
  })

  it('names a bad header', () => {
    expect(() => parseDepartmentsFile('code,name,kind\n', 'd.csv')).toThrow('d.csv line 1: column "name" is not known (the header names code, name_zh, name_en, kind, parent, active)')
    expect(() => parseDepartmentsFile('code,name_zh,kind\na,甲,other\n', 'd.csv')).toThrow('d.csv line 1: the header lacks column "name_en" (it needs code, name_zh, name_en, kind)')
    expect(() => parseDepartmentsFile('code,CODE,name_zh\n', 'd.csv')).toThrow('d.csv line 1: column "code" appears twice')
    expect(() => parseDepartmentsFile(HEAD, 'd.csv')).toThrow('d.csv: lists no department')
  })

  it('names the entry, its line and the field of a bad YAML entry', () => {
    expect(yaml('- {code: a, name_zh: 甲, name_en: A, kind: other}\n- code: b\n  name_zh: 乙\n  kind: other\n')).toThrow(
      'departments.yaml entry 2 (line 2): name_en is missing: the name, e.g. Market Regulation Bureau',
    )
    expect(yaml('- code: a\n  name: 甲\n')).toThrow('departments.yaml entry 1 (line 1): key "name" is not known (known: code, name_zh, name_en, kind, parent, active)')
    expect(yaml('- code: 001\n  name_zh: 甲\n')).toThrow('departments.yaml entry 1 (line 1): code 1 reads as a number: write the code in quotes, e.g. code: "1"')
    expect(yaml('- just a string\n')).toThrow('departments.yaml entry 1 (line 1): must be a mapping of code, name_zh')
    expect(yaml('people: []\n')).toThrow('departments.yaml: must be a list of departments, or a mapping with the one key "departments" holding that list')
    expect(yaml('- code: a\n  code: b\n')).toThrow(/^departments\.yaml line 2: is not valid YAML: Map keys must be unique/)
  })

  it('refuses a file beyond MAX_ENTRIES', () => {
    const rows = Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => `d${i},部门${i},Dept ${i},other,,`).join('\n')
    expect(csv(rows)).toThrow(`departments.csv: lists ${MAX_ENTRIES + 1} departments; at most ${MAX_ENTRIES} per file`)
  })
})

describe('the fields a file gives', () => {
  it('are the optional columns of the header, or the keys of each YAML entry', () => {
    const given = (text: string, name: string) => parseDepartmentsFile(text, name).map((e) => [...e.given].sort())
    expect(given(read('departments.csv'), 'd.csv')).toEqual(Array(4).fill(['active', 'parent']))
    expect(given('code,name_zh,name_en,kind\na,甲,A,other\n', 'd.csv')).toEqual([[]])
    expect(given(read('departments.yaml'), 'd.yaml')).toEqual([[], ['parent'], ['parent'], ['active']])
  })
})

describe('formatOf', () => {
  it('tells the format by the extension', () => {
    expect(['a.CSV', 'a.yaml', 'a.yml', 'a.json', 'a.xlsx'].map(formatOf)).toEqual(['csv', 'yaml', 'yaml', 'yaml', null])
  })
})
