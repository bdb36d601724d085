/**
 * A department as the registry holds it, and the checks that every way in (an import
 * file, the admin page, the demo) passes: the contract's code pattern, a short Chinese
 * name (it heads every text message), an English name, a kind from a closed list, an
 * optional parent. Pure: no database.
 */
import { DEPT_CODE, DEPT_KINDS, type DeptKind, MAX_DEPT_CODE, MAX_DEPT_NAME_EN, MAX_DEPT_NAME_ZH } from '../contract/index.ts'

/** DeptInput is a department as it is written: everything but the time of the change. */
export interface DeptInput {
  code: string
  nameZh: string
  nameEn: string
  kind: DeptKind
  /** the code of the department it belongs to */
  parent: string | null
  active: boolean
}

/** Department is a stored department. */
export interface Department extends DeptInput {
  updatedAt: Date
}

/** DeptField is a field of a department, as the checks name it. */
export type DeptField = 'code' | 'nameZh' | 'nameEn' | 'kind' | 'parent' | 'active'

/** OptionalField is a field an entry may leave out. */
export type OptionalField = 'parent' | 'active'

/** FieldLabels say how a way in spells each field in its messages. */
export type FieldLabels = Record<DeptField, string>

/** FILE_FIELDS are the column names of an import file (CSV header, YAML keys). */
export const FILE_FIELDS: FieldLabels = { code: 'code', nameZh: 'name_zh', nameEn: 'name_en', kind: 'kind', parent: 'parent', active: 'active' }

/** KIND_NAMES names each kind of department; an import file may give the Chinese name instead of the code. */
export const KIND_NAMES: Readonly<Record<DeptKind, { 'zh-CN': string; en: string }>> = {
  approval: { 'zh-CN': '审批', en: 'Approval' },
  enforcement: { 'zh-CN': '执法', en: 'Enforcement' },
  service: { 'zh-CN': '服务', en: 'Public service' },
  supervision: { 'zh-CN': '监管', en: 'Supervision' },
  other: { 'zh-CN': '其他', en: 'Other' },
}

/** DeptFieldError names the field that is wrong, spelled as the way in spells it, and why; `where` places the entry in a list. */
export class DeptFieldError extends Error {
  constructor(readonly field: string, readonly problem: string, readonly where: string | null = null) {
    super(`${where ? `${where}: ` : ''}${field} ${problem}`)
    this.name = 'DeptFieldError'
  }
}

/** DeptDraft is a department as it arrives: any value in any field. */
export type DeptDraft = Partial<Record<DeptField, unknown>>

/** checkDepartment checks a draft and returns it normalized (names trimmed, parent null when blank, active true when left out). */
export function checkDepartment(d: DeptDraft, labels: FieldLabels = FILE_FIELDS): DeptInput {
  const code = checkCode(d.code, labels.code)
  const parent = blank(d.parent) ? null : checkCode(d.parent, labels.parent)
  if (parent === code) throw new DeptFieldError(labels.parent, `"${parent}" is the department itself`)
  return {
    code,
    nameZh: checkName(d.nameZh, labels.nameZh, MAX_DEPT_NAME_ZH, '市场监管局'),
    nameEn: checkName(d.nameEn, labels.nameEn, MAX_DEPT_NAME_EN, 'Market Regulation Bureau'),
    kind: checkKind(d.kind, labels.kind),
    parent,
    active: checkActive(d.active, labels.active),
  }
}

/** checkCode accepts a department code of the contract's pattern, at most MAX_DEPT_CODE characters. */
export function checkCode(v: unknown, field = 'code'): string {
  if (blank(v)) throw new DeptFieldError(field, 'is missing: a department code such as market')
  if (typeof v !== 'string') throw new DeptFieldError(field, `must be a code, got ${quote(v)}`)
  const s = v.trim()
  if (s.length > MAX_DEPT_CODE) throw new DeptFieldError(field, `is ${s.length} characters; a code has at most ${MAX_DEPT_CODE}`)
  if (!DEPT_CODE.test(s)) {
    throw new DeptFieldError(field, `${quote(s)} must be a code: ASCII letters, digits and _ . : - , starting with a letter or digit, as the source systems send it`)
  }
  return s
}

function checkName(v: unknown, field: string, max: number, example: string): string {
  if (blank(v)) throw new DeptFieldError(field, `is missing: the name, e.g. ${example}`)
  if (typeof v !== 'string') throw new DeptFieldError(field, `must be a text, got ${quote(v)}`)
  const s = v.trim()
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s)) throw new DeptFieldError(field, `${quote(s)} must be one line of plain text`)
  // UTF-16 units, as a text message counts them.
  if (s.length > max) throw new DeptFieldError(field, `${quote(s)} is ${s.length} characters; at most ${max}${max === MAX_DEPT_NAME_ZH ? ' (it heads every text message)' : ''}`)
  return s
}

/** checkKind accepts a kind's code or its Chinese name (审批, 执法, …). */
export function checkKind(v: unknown, field = 'kind'): DeptKind {
  const s = typeof v === 'string' ? v.trim() : v
  const kind = DEPT_KINDS.find((k) => k === s || KIND_NAMES[k]['zh-CN'] === s)
  if (kind) return kind
  const list = DEPT_KINDS.map((k) => `${k} (${KIND_NAMES[k]['zh-CN']})`).join(', ')
  throw new DeptFieldError(field, blank(v) ? `is missing: one of ${list}` : `${quote(s)} must be one of ${list}`)
}

const TRUE = new Set(['true', 'yes', 'y', '1', '是'])
const FALSE = new Set(['false', 'no', 'n', '0', '否'])

function checkActive(v: unknown, field: string): boolean {
  if (blank(v)) return true
  if (typeof v === 'boolean') return v
  const s = typeof v === 'string' ? v.trim().toLowerCase() : ''
  if (TRUE.has(s)) return true
  if (FALSE.has(s)) return false
  throw new DeptFieldError(field, `${quote(v)} must be true or false (left out: true)`)
}

function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '')
}

/** quote shows a value in a message, shortened. */
export function quote(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 60 ? `${s.slice(0, 57)}…"` : s
}
