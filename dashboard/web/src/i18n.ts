/**
 * i18n: every string the app shows, in zh-CN (the default) and English, plus the
 * lookups for rule, level and department names. The wall's strings are here, the
 * consoles' in i18nConsole.ts, the case events' in i18nCaseEvents.ts, the cockpit's in i18nKpi.ts. Unknown rule ids and department codes are shown raw
 * rather than hidden, so a new rule is visible before it is named.
 */
import type { DeptNames, Level } from '../../../common/contract/api.ts'
import { EN_EVENTS, ZH_EVENTS } from './i18nCaseEvents.ts'
import { EN_CASE, ZH_CASE } from './i18nCase.ts'
import { EN_CONSOLE, ZH_CONSOLE } from './i18nConsole.ts'
import { EN_KPI, ZH_KPI } from './i18nKpi.ts'
import { EN_WALL_PERF, ZH_WALL_PERF } from './i18nWall.ts'

/** Lang is a language the wall can show. */
export type Lang = 'zh-CN' | 'en'

/** LANGS lists the languages in toggle order. */
export const LANGS: readonly Lang[] = ['zh-CN', 'en']

const ZH_WALL = {
  title: '电子监察实时预警',
  platformTime: '平台时间',
  platformTimeLapse: '模拟时间（演示加速）',
  connecting: '正在连接…',
  connected: '已连接',
  reconnecting: '连接中断，正在重连…',
  switchLang: 'English',
  switchLangAria: '切换到英文界面',
  countersTitle: '当前预警',
  counterAria: '{level}：{n} 张',
  'level.yellow': '黄牌',
  'level.red': '红牌',
  feedTitle: '实时预警',
  feedShowing: '最新 {n} 条',
  feedEmpty: '暂无预警',
  'col.level': '等级',
  'col.rule': '预警事项',
  'col.dept': '责任部门',
  'col.case': '办件编号',
  'col.time': '触发时间',
  chartTitle: '各部门预警分布',
  chartAria: '各部门在办预警柱状图，前 {n} 个部门',
  chartEmpty: '暂无在办预警',
  chartRow: '{dept}：共 {n} 张，红牌 {red} 张，黄牌 {yellow} 张',
  'rule.approval.overdue': '审批超期',
  'rule.approval.due_soon': '审批即将到期',
  'rule.approval.out_of_order': '程序异常',
  'rule.approval.accept_delay': '超时受理',
  'rule.approval.no_reason': '不予受理无理由',
  'rule.approval.fee_mismatch': '违规收费',
  'rule.approval.long_suspension': '长期中止',
  'rule.approval.poor_rating': '差评',
  'rule.enforcement.due_soon': '执法即将超期',
  'rule.enforcement.overdue': '执法超期',
  'rule.enforcement.discretion': '裁量异常',
  'rule.petition.accept_overdue': '信访超期未受理',
  'rule.petition.reply_due_soon': '信访即将到期',
  'rule.petition.reply_overdue': '信访答复超期',
  'rule.petition.repeat': '重复信访',
  'rule.petition.unsatisfied': '信访不满意',
  'rule.supervision.overdue': '督办超期',
  'rule.source.silent': '数据中断',
  'rule.inspection.flag': '主动巡检',
  'rule.calendar.uncovered': '日历未覆盖',
}

const EN_WALL: Record<keyof typeof ZH_WALL, string> = {
  title: 'E-Supervision Live Alerts',
  platformTime: 'Platform time',
  platformTimeLapse: 'Simulated time (demo time-lapse)',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Connection lost, reconnecting…',
  switchLang: '中文',
  switchLangAria: 'Switch to Chinese',
  countersTitle: 'Open cards',
  counterAria: '{level}: {n}',
  'level.yellow': 'Yellow card',
  'level.red': 'Red card',
  feedTitle: 'Live alerts',
  feedShowing: 'latest {n}',
  feedEmpty: 'No alerts',
  'col.level': 'Level',
  'col.rule': 'Rule',
  'col.dept': 'Department',
  'col.case': 'Case',
  'col.time': 'Raised at',
  chartTitle: 'Open cards by department',
  chartAria: 'Bar chart of open cards, top {n} departments',
  chartEmpty: 'No open cards',
  chartRow: '{dept}: {n} in all, {red} red, {yellow} yellow',
  'rule.approval.overdue': 'Approval overdue',
  'rule.approval.due_soon': 'Approval due soon',
  'rule.approval.out_of_order': 'Irregular procedure',
  'rule.approval.accept_delay': 'Late acceptance',
  'rule.approval.no_reason': 'Rejected without reason',
  'rule.approval.fee_mismatch': 'Irregular fee',
  'rule.approval.long_suspension': 'Long suspension',
  'rule.approval.poor_rating': 'Poor rating',
  'rule.enforcement.due_soon': 'Enforcement due soon',
  'rule.enforcement.overdue': 'Enforcement overdue',
  'rule.enforcement.discretion': 'Penalty outside range',
  'rule.petition.accept_overdue': 'Petition not accepted in time',
  'rule.petition.reply_due_soon': 'Petition reply due soon',
  'rule.petition.reply_overdue': 'Petition reply overdue',
  'rule.petition.repeat': 'Repeat petition',
  'rule.petition.unsatisfied': 'Petitioner unsatisfied',
  'rule.supervision.overdue': 'Supervised task overdue',
  'rule.source.silent': 'Data feed interrupted',
  'rule.inspection.flag': 'Inspector flag',
  'rule.calendar.uncovered': 'Calendar not covered',
}

const ZH = { ...ZH_WALL, ...ZH_WALL_PERF, ...ZH_CONSOLE, ...ZH_EVENTS, ...ZH_CASE, ...ZH_KPI }

/** MessageKey names one string. */
export type MessageKey = keyof typeof ZH

const EN: Record<MessageKey, string> = { ...EN_WALL, ...EN_WALL_PERF, ...EN_CONSOLE, ...EN_EVENTS, ...EN_CASE, ...EN_KPI }

/** MESSAGES holds every string by language; exported for the completeness test. */
export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': ZH, en: EN }

/** t returns the string `key` in `lang`, with {name} placeholders filled from `vars`. */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m))
}

/** isKey tells whether a string names a message (for labels built from a code). */
export function isKey(k: string): k is MessageKey {
  return Object.hasOwn(ZH, k)
}

/** ruleLabel names a rule id (e.g. approval.overdue → 审批超期); unknown ids come back raw. */
export function ruleLabel(lang: Lang, rule: string): string {
  const key = `rule.${rule}`
  return isKey(key) ? t(lang, key) : rule
}

/** ruleIds lists the rules the app has names for, in the order they are named. */
export function ruleIds(): string[] {
  return Object.keys(ZH).filter((k) => k.startsWith('rule.')).map((k) => k.slice('rule.'.length))
}

/** levelLabel names a card level (黄牌 / 红牌). */
export function levelLabel(lang: Lang, level: Level): string {
  return t(lang, level === 'red' ? 'level.red' : 'level.yellow')
}

/** deptLabel names a department; unknown codes come back raw. */
export function deptLabel(names: DeptNames, lang: Lang, code: string): string {
  return (Object.hasOwn(names, code) ? names[code]?.[lang] : undefined) || code
}

/** pickLang reads ?lang= from a query string; zh-CN unless English is asked for. */
export function pickLang(search: string): Lang {
  const want = new URLSearchParams(search).get('lang')?.toLowerCase() ?? ''
  return want === 'en' || want.startsWith('en-') ? 'en' : 'zh-CN'
}

/** otherLang is the language the toggle switches to. */
export function otherLang(lang: Lang): Lang {
  return lang === 'en' ? 'zh-CN' : 'en'
}
