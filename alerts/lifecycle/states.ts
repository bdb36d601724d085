/**
 * The supervision loop of one card thread as a pure state machine:
 * raised → notified → acknowledged → rectification_submitted → approved, with
 * returned (back to rectifying) and withdrawn (the rules engine's correction).
 * Nothing here reads a clock or a database, so every transition and every refusal
 * is a table row in the tests.
 */
import { type ActionName as SharedActionName, type Actor, type ActorRole, type AttachmentRef, type Level, MAX_ATTACHMENTS, MIN_RECTIFICATION_TEXT, type State } from '../../common/contract/index.ts'


export { MAX_ATTACHMENTS, MIN_RECTIFICATION_TEXT }
export { STATES } from '../../common/contract/index.ts'
export type { Actor, AttachmentRef, AttachmentType, State } from '../../common/contract/index.ts'

/** OPEN_STATES are the states in which a thread still waits for someone. */
export const OPEN_STATES: readonly State[] = ['raised', 'notified', 'acknowledged', 'rectification_submitted', 'returned']

/** Role is who acts on a thread (the browser shows it, so it is defined with the shared shapes). */
export type Role = ActorRole

/**
 * Action is what can happen to a thread. notify, withdraw, upgrade and withdraw_card
 * are the platform's; acknowledge and submit_rectification the department's;
 * approve and return the inspector's.
 */
export type Action =
  | { name: 'notify' }
  | { name: 'acknowledge' }
  | { name: 'submit_rectification'; text: string; attachments?: readonly AttachmentRef[] }
  | { name: 'approve' }
  | { name: 'return' }
  | { name: 'withdraw' }
  /** a higher-level card of the same (case, family) arrived: level up, back to raised */
  | { name: 'upgrade'; alertKey: string; level: Level }
  /** one card of a multi-card thread was withdrawn while another still stands */
  | { name: 'withdraw_card'; alertKey: string; level: Level }

/** ActionName names an action; 'open' and 'escalate' are recorded by the store, not by transition(). */
export type ActionName = Action['name'] | 'open' | 'escalate'

// The browser's list of action names must be exactly these.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const sameNames: Same<ActionName, SharedActionName> = true
void sameNames

/** Thread is one (case, rule family) going round the loop. Instants are epoch ms. */
export interface Thread {
  /** 0 until stored */
  id: number
  caseKind: string
  caseId: string
  family: string
  dept: string
  level: Level
  state: State
  /** the cards of this thread, oldest first */
  alertKeys: string[]
  shortCode: string
  openedAt: number
  updatedAt: number
  /** when the department was last told; reset by an upgrade */
  notifiedAt: number | null
  ackAt: number | null
  rectificationDueAt: number | null
  closedAt: number | null
}

/** TransitionEvent records one change: who, when, why, from which state to which. */
export interface TransitionEvent {
  action: ActionName
  from: State | null
  to: State
  actor: Actor
  at: number
  why: string
  detail: Record<string, unknown>
}

/** RefusalReason names why a transition was refused. */
export type RefusalReason = 'wrong_state' | 'wrong_role' | 'wrong_dept' | 'missing_text' | 'missing_comment' | 'too_many_attachments' | 'not_found'

/** Refusal is a transition that did not happen, with the reason and a sentence for people. */
export interface Refusal {
  refused: RefusalReason
  message: string
}

/** Transition is a thread after an action and the event that records it. */
export interface Transition<T extends Thread = Thread> {
  thread: T
  event: TransitionEvent
}

interface Rule {
  roles: readonly Role[]
  from: readonly State[]
  to: (t: Thread) => State
}

const RULES: Record<Action['name'], Rule> = {
  notify: { roles: ['system'], from: ['raised'], to: () => 'notified' },
  // The department may see the card on its console before the SMS goes out.
  acknowledge: { roles: ['department'], from: ['raised', 'notified'], to: () => 'acknowledged' },
  submit_rectification: { roles: ['department'], from: ['acknowledged', 'returned'], to: () => 'rectification_submitted' },
  approve: { roles: ['inspector'], from: ['rectification_submitted'], to: () => 'approved' },
  return: { roles: ['inspector'], from: ['rectification_submitted'], to: () => 'returned' },
  withdraw: { roles: ['system'], from: OPEN_STATES, to: () => 'withdrawn' },
  upgrade: { roles: ['system'], from: OPEN_STATES, to: () => 'raised' },
  withdraw_card: { roles: ['system'], from: OPEN_STATES, to: (t) => t.state },
}

/** isRefusal tells a Refusal from a result (a Transition, or what applyAction returns). */
export function isRefusal<R extends object>(r: R | Refusal): r is Refusal {
  return 'refused' in r
}

/** isOpen tells whether a thread still waits for someone. */
export function isOpen(state: State): boolean {
  return OPEN_STATES.includes(state)
}

/**
 * transition applies an action to a thread at instant `at`, or says why not. A leader
 * never transitions (they watch); a department only acts on its own department's
 * threads; an admin runs the platform but takes no part in the loop.
 */
export function transition<T extends Thread>(thread: T, action: Action, actor: Actor, at: number, why: string): Transition<T> | Refusal {
  const rule = RULES[action.name]
  if (!rule.roles.includes(actor.role)) {
    return refuse('wrong_role', `${actor.role} ${actor.name} may not ${action.name}; only ${rule.roles.join(' or ')} may`)
  }
  if (actor.role === 'department' && actor.dept !== thread.dept) {
    return refuse('wrong_dept', `department ${actor.dept ?? '(none)'} may not act on a thread of department ${thread.dept}`)
  }
  if (!rule.from.includes(thread.state)) {
    return refuse('wrong_state', `cannot ${action.name} a thread that is ${thread.state}`)
  }
  const bad = checkInput(thread, action, why)
  if (bad) return bad
  const next: T = { ...thread, alertKeys: [...thread.alertKeys], state: rule.to(thread), updatedAt: at }
  const detail = apply(next, action, at, thread)
  return { thread: next, event: { action: action.name, from: thread.state, to: next.state, actor: { ...actor }, at, why: why.trim(), detail } }
}

function checkInput(thread: Thread, action: Action, why: string): Refusal | null {
  switch (action.name) {
    case 'submit_rectification':
      if ([...(action.text ?? '').trim()].length < MIN_RECTIFICATION_TEXT) {
        return refuse('missing_text', `a rectification needs a text of at least ${MIN_RECTIFICATION_TEXT} characters`)
      }
      if ((action.attachments?.length ?? 0) > MAX_ATTACHMENTS) {
        return refuse('too_many_attachments', `a rectification carries at most ${MAX_ATTACHMENTS} attachments`)
      }
      return null
    case 'return':
      return why.trim() ? null : refuse('missing_comment', 'returning a rectification needs a comment saying what is missing')
    case 'upgrade':
      return rank(action.level) > rank(thread.level) ? null : refuse('wrong_state', `the thread is already ${thread.level}`)
    case 'withdraw_card':
      return thread.alertKeys.includes(action.alertKey) && thread.alertKeys.length > 1
        ? null
        : refuse('wrong_state', `card ${action.alertKey} is not one of several cards of this thread; withdraw the thread instead`)
    default:
      return null
  }
}

/** apply sets the fields an action changes on `next` and returns the event's detail. */
function apply(next: Thread, action: Action, at: number, prev: Thread): Record<string, unknown> {
  switch (action.name) {
    case 'notify':
      next.notifiedAt = at
      return {}
    case 'acknowledge':
      next.ackAt = at
      return {}
    case 'submit_rectification':
      return { text: action.text.trim(), attachments: (action.attachments ?? []).map((a) => ({ ...a })) }
    case 'approve':
    case 'withdraw':
      next.closedAt = at
      return {}
    case 'return':
      return {}
    case 'upgrade':
      // A fresh acknowledgement is needed, and escalation counts from the fresh notice.
      next.level = action.level
      next.notifiedAt = null
      next.ackAt = null
      if (!next.alertKeys.includes(action.alertKey)) next.alertKeys.push(action.alertKey)
      return { alertKey: action.alertKey, fromLevel: prev.level, toLevel: action.level }
    case 'withdraw_card':
      next.alertKeys = next.alertKeys.filter((k) => k !== action.alertKey)
      next.level = action.level
      return { alertKey: action.alertKey, level: action.level }
  }
}

/** rank orders levels: red above yellow. */
export function rank(level: Level): number {
  return level === 'red' ? 2 : 1
}

function refuse(reason: RefusalReason, message: string): Refusal {
  return { refused: reason, message }
}

/**
 * FAMILY_OF pairs a yellow rule with its red: the red card upgrades the open yellow
 * card's thread of the same case. Every other rule is a family of its own.
 */
export const FAMILY_OF: Readonly<Record<string, string>> = {
  'approval.due_soon': 'approval.deadline',
  'approval.overdue': 'approval.deadline',
  'enforcement.due_soon': 'enforcement.deadline',
  'enforcement.overdue': 'enforcement.deadline',
  'petition.reply_due_soon': 'petition.reply',
  'petition.reply_overdue': 'petition.reply',
}

/** familyOf returns the thread family of a rule. */
export function familyOf(rule: string): string {
  return FAMILY_OF[rule] ?? rule
}
