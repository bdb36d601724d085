/**
 * SMS text, in zh-CN: short (one card fits one 70-character segment; a digest at
 * most two) and free of personal data. A message is built only from the level, the
 * department's name, the rule's label, the case id and a short code; case data,
 * notes and contacts never reach it, and a case id, rule id or department code that
 * could hide a phone or id number, or is not a plain code, is left out. Department
 * names come from the registry, handed in as a DeptNameOf (docs/departments.md).
 */
import { createHash } from 'node:crypto'
import type { Level } from '../../common/contract/index.ts'

/** MAX_SINGLE is the length of one card's message: one SMS segment of Chinese text. */
export const MAX_SINGLE = 70
/** MAX_DIGEST is the longest digest: two segments. */
export const MAX_DIGEST = 140

/** CODE_ALPHABET has no 0/O or 1/I, which read alike on a phone. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'

/**
 * shortCode derives the 4-character code quoted in a message from a ref (alert key
 * or digest id). It is deterministic; on a collision the store asks again with the
 * next salt.
 */
export function shortCode(key: string, salt = 0): string {
  const h = createHash('sha256').update(`${salt}:${key}`).digest()
  let code = ''
  for (let i = 0; i < 4; i++) code += CODE_ALPHABET[h[i]! % CODE_ALPHABET.length]
  return code
}

/** RULE_LABELS names the built-in rules as the wall does (dashboard/web/src/i18n.ts). */
export const RULE_LABELS: Readonly<Record<string, string>> = {
  'approval.overdue': '审批超期',
  'approval.due_soon': '审批即将到期',
  'approval.out_of_order': '程序异常',
  'approval.accept_delay': '超时受理',
  'approval.no_reason': '不予受理无理由',
  'approval.fee_mismatch': '违规收费',
  'approval.long_suspension': '长期中止',
  'approval.poor_rating': '差评',
  'enforcement.due_soon': '执法即将超期',
  'enforcement.overdue': '执法超期',
  'enforcement.discretion': '裁量异常',
  'petition.accept_overdue': '信访超期未受理',
  'petition.reply_due_soon': '信访即将到期',
  'petition.reply_overdue': '信访答复超期',
  'petition.repeat': '重复信访',
  'petition.unsatisfied': '信访不满意',
  'supervision.overdue': '督办超期',
  'source.silent': '数据中断',
  'inspection.flag': '主动巡检',
  'calendar.uncovered': '日历未覆盖',
}

const LEVEL: Record<Level, string> = { red: '红牌', yellow: '黄牌' }

// A plain code: ASCII letters, digits and a few separators.
const CODE_LIKE = /^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/
// Seven digits in a row, or eleven with single separators: a phone or an id number.
const NUMBER_LIKE = /\d{7}|\d(?:[-._/]?\d){10}/

/** plainCode returns s when it is a plain code of at most max characters that cannot hide a phone or id number. */
export function plainCode(s: string, max: number): string | null {
  return s.length <= max && CODE_LIKE.test(s) && !NUMBER_LIKE.test(s) ? s : null
}

/** ruleLabel names a rule in zh-CN; an unknown rule shows as its id when that is a plain code, else 预警. */
export function ruleLabel(rule: string): string {
  return (Object.hasOwn(RULE_LABELS, rule) ? RULE_LABELS[rule] : undefined) ?? plainCode(rule, 24) ?? '预警'
}

/** DeptNameOf gives a registered department's zh-CN name, or undefined for a code the registry does not hold. */
export type DeptNameOf = (code: string) => string | undefined

/** NO_NAMES knows no department: each shows as its code (or 相关部门). */
export const NO_NAMES: DeptNameOf = () => undefined

/** MAX_DEPT_LABEL is the longest department label a text carries (the registry's limit for names). */
export const MAX_DEPT_LABEL = 20

/**
 * deptLabel names a department in zh-CN: its registered name, else its code when that
 * is a plain code, else 相关部门. A name longer than MAX_DEPT_LABEL is not used, so the
 * texts keep their length whatever nameOf says.
 */
export function deptLabel(dept: string, nameOf: DeptNameOf): string {
  const name = nameOf(dept)
  return (name && name.length <= MAX_DEPT_LABEL ? name : undefined) ?? plainCode(dept, MAX_DEPT_LABEL) ?? '相关部门'
}

/** SingleFacts is what a one-card message may say. */
export interface SingleFacts {
  level: Level
  rule: string
  dept: string
  caseId: string
}

/**
 * singleText is one card's message, e.g.
 * `【电子监察】红牌：市场监管局 审批超期 A-0001，请回复"确认 K7Q2"`. A long case id is
 * shortened to its tail to fit one segment.
 */
export function singleText(a: SingleFacts, code: string, nameOf: DeptNameOf): string {
  const head = `【电子监察】${LEVEL[a.level]}：${deptLabel(a.dept, nameOf)} ${ruleLabel(a.rule)}`
  const tail = `，请回复"确认 ${code}"`
  const caseId = plainCode(a.caseId, 32)
  if (caseId === null) return head + tail
  const room = MAX_SINGLE - head.length - tail.length - 1
  if (caseId.length <= room) return `${head} ${caseId}${tail}`
  return room >= 5 ? `${head} …${caseId.slice(caseId.length - (room - 1))}${tail}` : head + tail
}

/** Counts is how many cards of each level a digest covers. */
export type Counts = Record<Level, number>

/** digestText is a digest's message, e.g. `【电子监察】市场监管局：新增红牌2张、黄牌5张，详见工作台，回复"确认 K7Q2"确认全部`. */
export function digestText(dept: string, counts: Counts, code: string, nameOf: DeptNameOf): string {
  const parts = (['red', 'yellow'] as const).filter((l) => counts[l] > 0).map((l) => `${LEVEL[l]}${counts[l]}张`)
  return `【电子监察】${deptLabel(dept, nameOf)}：新增${parts.join('、')}，详见工作台，回复"确认 ${code}"确认全部`
}
