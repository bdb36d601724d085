/**
 * The department import file (`jiancha dept import`): CSV with a header row, or YAML
 * (a list of entries, or `departments:` holding one). Both use the same fields —
 * code, name_zh, name_en, kind, parent, active — and are checked strictly: an error
 * names the file, the line (or entry) and the field, and nothing is imported.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml'
import { parseCsv } from './csv.ts'
import { checkDepartment, DeptFieldError, type DeptDraft, type DeptField, type DeptInput, FILE_FIELDS, type OptionalField, quote } from './department.ts'

/** FileFormat is how an import file is written. */
export type FileFormat = 'csv' | 'yaml'

/** FILE_FORMATS lists the formats, as `--format` takes them. */
export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'yaml']

/** MAX_ENTRIES is the most departments one file may hold. */
export const MAX_ENTRIES = 10_000

/**
 * DeptEntry is one checked department of a file, where it stands there ("line 4",
 * "entry 2 (line 7)"), and which of parent and active the file gives: a column or key
 * left out keeps a known department's stored value.
 */
export interface DeptEntry {
  dept: DeptInput
  where: string
  given: ReadonlySet<OptionalField>
}

/** DeptFileError names the file, the place in it and the problem. */
export class DeptFileError extends Error {
  constructor(readonly origin: string, readonly where: string | null, problem: string) {
    super(`${origin}${where ? ` ${where}` : ''}: ${problem}`)
    this.name = 'DeptFileError'
  }
}

const COLUMNS: Record<string, DeptField> = Object.fromEntries(Object.entries(FILE_FIELDS).map(([field, label]) => [label, field as DeptField]))
const REQUIRED: readonly DeptField[] = ['code', 'nameZh', 'nameEn', 'kind']

/** formatOf tells a file's format from its extension: .csv, or .yaml/.yml/.json; null when it cannot. */
export function formatOf(path: string): FileFormat | null {
  const p = path.toLowerCase()
  if (p.endsWith('.csv')) return 'csv'
  if (p.endsWith('.yaml') || p.endsWith('.yml') || p.endsWith('.json')) return 'yaml'
  return null
}

/** parseDepartmentsFile reads a file's text; `format` wins over the extension of `origin`. */
export function parseDepartmentsFile(text: string, origin: string, format?: FileFormat): DeptEntry[] {
  const f = format ?? formatOf(origin)
  if (!f) throw new DeptFileError(origin, null, 'cannot tell the format from the name: name it .csv or .yaml, or give --format csv|yaml')
  const entries = f === 'csv' ? readCsv(text, origin) : readYaml(text, origin)
  if (!entries.length) throw new DeptFileError(origin, null, 'lists no department')
  if (entries.length > MAX_ENTRIES) throw new DeptFileError(origin, null, `lists ${entries.length} departments; at most ${MAX_ENTRIES} per file`)
  const seen = new Map<string, string>()
  for (const e of entries) {
    const before = seen.get(e.dept.code)
    if (before) throw new DeptFileError(origin, e.where, `code "${e.dept.code}" is listed already (${before})`)
    seen.set(e.dept.code, e.where)
  }
  return entries
}

function readCsv(text: string, origin: string): DeptEntry[] {
  let records
  try {
    records = parseCsv(text)
  } catch (e) {
    throw new DeptFileError(origin, null, `is not valid CSV: ${(e as Error).message}`)
  }
  const [head, ...rows] = records
  if (!head) return []
  const where = (line: number) => `line ${line}`
  const columns = head.fields.map((h) => h.trim().toLowerCase())
  columns.forEach((c, i) => {
    if (!Object.hasOwn(COLUMNS, c)) throw new DeptFileError(origin, where(head.line), `column ${quote(head.fields[i])} is not known (the header names ${Object.keys(COLUMNS).join(', ')})`)
    if (columns.indexOf(c) !== i) throw new DeptFileError(origin, where(head.line), `column "${c}" appears twice`)
  })
  for (const f of REQUIRED) {
    if (!columns.includes(FILE_FIELDS[f])) throw new DeptFileError(origin, where(head.line), `the header lacks column "${FILE_FIELDS[f]}" (it needs ${REQUIRED.map((r) => FILE_FIELDS[r]).join(', ')})`)
  }
  const given = optionalGiven(columns.map((c) => COLUMNS[c]!))
  return rows.map((r) => {
    if (r.fields.length !== columns.length) throw new DeptFileError(origin, where(r.line), `has ${r.fields.length} fields, the header ${columns.length}`)
    const draft: DeptDraft = {}
    columns.forEach((c, i) => (draft[COLUMNS[c]!] = r.fields[i]))
    return { dept: checked(draft, origin, where(r.line)), where: where(r.line), given }
  })
}

function readYaml(text: string, origin: string): DeptEntry[] {
  const lines = new LineCounter()
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, lineCounter: lines, prettyErrors: false })
  const bad = doc.errors[0]
  if (bad) throw new DeptFileError(origin, `line ${lines.linePos(bad.pos[0]).line}`, `is not valid YAML: ${bad.message.split('\n')[0]}`)
  const lineOf = (n: Node | null | undefined) => (n?.range ? lines.linePos(n.range[0]).line : null)
  let list: unknown = doc.contents
  if (isMap(list)) {
    const keys = list.items.map((p) => String((p.key as { value?: unknown })?.value ?? p.key))
    if (keys.length !== 1 || keys[0] !== 'departments') {
      throw new DeptFileError(origin, null, 'must be a list of departments, or a mapping with the one key "departments" holding that list')
    }
    list = list.get('departments', true)
  }
  if (list === null || list === undefined) return []
  if (!isSeq(list)) throw new DeptFileError(origin, `line ${lineOf(list as Node) ?? 1}`, 'must be a list of departments (- code: …)')
  return list.items.map((item, i) => {
    const line = lineOf(item as Node)
    const where = `entry ${i + 1}${line ? ` (line ${line})` : ''}`
    if (!isMap(item)) throw new DeptFileError(origin, where, `must be a mapping of ${Object.keys(COLUMNS).join(', ')}`)
    const draft: DeptDraft = {}
    for (const [key, value] of Object.entries(item.toJS(doc) as Record<string, unknown>)) {
      if (!Object.hasOwn(COLUMNS, key)) throw new DeptFileError(origin, where, `key ${quote(key)} is not known (known: ${Object.keys(COLUMNS).join(', ')})`)
      const field = COLUMNS[key]!
      // YAML reads 001 as the number 1: a code that looks like a number is written in quotes.
      if ((field === 'code' || field === 'parent') && (typeof value === 'number' || typeof value === 'boolean')) {
        throw new DeptFileError(origin, where, `${key} ${quote(value)} reads as a ${typeof value}: write the code in quotes, e.g. ${key}: "${String(value)}"`)
      }
      draft[field] = value
    }
    return { dept: checked(draft, origin, where), where, given: optionalGiven(Object.keys(draft) as DeptField[]) }
  })
}

function optionalGiven(fields: readonly DeptField[]): ReadonlySet<OptionalField> {
  return new Set(fields.filter((f): f is OptionalField => f === 'parent' || f === 'active'))
}

function checked(draft: DeptDraft, origin: string, where: string): DeptInput {
  try {
    return checkDepartment(draft)
  } catch (e) {
    if (e instanceof DeptFieldError) throw new DeptFileError(origin, where, e.message)
    throw e
  }
}
