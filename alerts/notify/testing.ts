/** Test helpers for the notification path: cards, notices, a run context that keeps its decisions, a virtual clock. */
import { type Alert, alertKey, type Kind, type Level } from '../../common/contract/index.ts'
import type { Logger } from '../../common/log/index.ts'
import type { Decision, Notice, NotifyContext, Recipient } from './stage.ts'
import type { DeptNameOf } from './text.ts'

const REGISTRY = new Map([['market', '市场监管局'], ['housing', '住建局'], ['tax', '税务局'], ['health', '卫健委']])

/** deptNames names a few departments as the registry would (the platform hands in DeptDirectory.nameOf). */
export const deptNames: DeptNameOf = (code) => REGISTRY.get(code)

/** at parses a local Asia/Shanghai time, e.g. at('2026-11-10 23:00'). */
export function at(local: string): number {
  const t = Date.parse(`${local.replace(' ', 'T')}${local.length === 16 ? ':00' : ''}+08:00`)
  if (Number.isNaN(t)) throw new Error(`bad test time ${local}`)
  return t
}

/** CardFields are the parts of a test card worth varying. */
export interface CardFields {
  rule?: string
  level?: Level
  kind?: Kind | null
  caseId?: string
  dept?: string
  at?: string
}

/** card builds an alert; by default a red approval.overdue on A-0001 of market. */
export function card(f: CardFields = {}): Alert {
  const level = f.level ?? 'red'
  const rule = f.rule ?? (level === 'red' ? 'approval.overdue' : 'approval.due_soon')
  const kind = f.kind === undefined ? 'approval' : f.kind
  const caseId = f.caseId ?? 'A-0001'
  return {
    key: alertKey(rule, level, kind, caseId),
    rule,
    level,
    kind,
    caseId,
    dept: f.dept ?? 'market',
    at: f.at ?? '2026-11-10T09:00:00+08:00',
    causes: ['e1'],
    settingsVersion: 'test',
  }
}

/** notice starts a test card on the path. */
export function notice(f: CardFields = {}, receivedAt = 0, extra: Partial<Notice> = {}): Notice {
  return { alert: card(f), receivedAt, ...extra }
}

/** DUTY and HEAD are the contacts of the test departments. */
export const DUTY: Recipient = { role: 'duty', name: '王值班', phone: '+8613800138000' }
export const HEAD: Recipient = { role: 'head', name: '李局长', phone: '+8613900139000' }

/** silentLog is a Logger that writes nothing. */
export const silentLog: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLog,
}

/** testCtx is a run context at `now` that keeps its decisions. */
export function testCtx(now: number): NotifyContext & { recorded: Decision[] } {
  const recorded: Decision[] = []
  return { now, log: silentLog, decisions: { record: (d) => recorded.push(d) }, recorded }
}

/** VirtualClock is a clock tests move by hand. */
export class VirtualClock {
  constructor(public t: number) {}
  now(): number {
    return this.t
  }
  set(t: number): void {
    this.t = t
  }
}
