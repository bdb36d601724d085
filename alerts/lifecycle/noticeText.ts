/**
 * Escalation texts, in zh-CN, built like the notification texts (notify/text.ts):
 * short and free of personal data, from the department's name, the rule's label,
 * the level and the thread's short code only. A notice alone keeps its thread's
 * text (the head's quotes the code to reply with); several read as a digest of counts.
 * Department names come from the registry, handed in as a DeptNameOf.
 */
import type { Level } from '../../common/contract/index.ts'
import { deptLabel, type DeptNameOf, MAX_SINGLE, ruleLabel } from '../notify/text.ts'
import type { Step } from './escalation.ts'

/** NoticeFacts is what an escalation text may say about one thread. */
export interface NoticeFacts {
  dept: string
  level: Level
  /** the rule of the thread's newest card */
  rule: string
  shortCode: string
}

const LEVEL: Record<Level, string> = { red: '红牌', yellow: '黄牌' }

/**
 * noticeText is the text of one group of notices of a step, e.g.
 * `【电子监察】督办提醒：市场监管局有3条预警超时未确认（红牌1、黄牌2），请登录平台督促处理`.
 * A single notice fits one segment (MAX_SINGLE), a digest two (MAX_DIGEST).
 */
export function noticeText(step: Step, notices: readonly NoticeFacts[], nameOf: DeptNameOf): string {
  const [first] = notices
  if (!first) throw new Error('noticeText: no notices')
  return notices.length === 1 ? singleNoticeText(step, first, nameOf) : digestNoticeText(step, notices, nameOf)
}

/** singleNoticeText is one thread's text; an over-long label (unknown rule, long department code) loses the rule. */
export function singleNoticeText(step: Step, n: NoticeFacts, nameOf: DeptNameOf): string {
  const text = (label: string) => {
    switch (step) {
      case 'head':
        return `【电子监察】督办提醒：${label}预警未确认，请督促处理，回复"确认 ${n.shortCode}"`
      case 'inspectors':
        return `【电子监察】督办：${label}预警超时未确认，已转纪检监察`
      case 'accountability':
        return `【电子监察】问责提示：${label}整改逾期，请阅处`
    }
  }
  const dept = deptLabel(n.dept, nameOf)
  const rule = ruleLabel(n.rule)
  // 预警 is ruleLabel's word for a rule it cannot name, and the text says 预警 already.
  const full = text(rule === '预警' ? dept : `${dept} ${rule}`)
  return full.length <= MAX_SINGLE ? full : text(dept)
}

/**
 * digestNoticeText is the text of several threads: how many, of how many departments,
 * by level. Labels are at most 20 characters and counts a few digits, so it stays
 * within MAX_DIGEST.
 */
export function digestNoticeText(step: Step, notices: readonly NoticeFacts[], nameOf: DeptNameOf): string {
  const depts = new Set(notices.map((n) => n.dept))
  const who = depts.size === 1 ? `${deptLabel(notices[0]!.dept, nameOf)}有${notices.length}条` : `${depts.size}个部门共${notices.length}条`
  const levels = (['red', 'yellow'] as const)
    .map((l) => ({ l, k: notices.filter((n) => n.level === l).length }))
    .filter(({ k }) => k > 0)
    .map(({ l, k }) => `${LEVEL[l]}${k}`)
    .join('、')
  switch (step) {
    case 'head':
      return `【电子监察】督办提醒：${who}预警超时未确认（${levels}），请登录平台督促处理`
    case 'inspectors':
      return `【电子监察】督办：${who}预警超时未确认（${levels}），已转纪检监察`
    case 'accountability':
      return `【电子监察】问责提示：${who}整改逾期（${levels}），请阅处`
  }
}
