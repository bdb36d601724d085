/**
 * ThreadStore keeps the supervision threads (alert_threads) and their history
 * (alert_transitions, rectifications); it is the one owner of those tables. Every
 * change runs through the pure transition() of states.ts and is written with its
 * transition row in one database transaction; `onTransition` lets the audit log join
 * that transaction. A process builds its one ThreadStore in alerts/compose.ts, which
 * always wires the audit hook.
 */
import { randomInt } from 'node:crypto'
import type { Alert, Level } from '../../common/contract/index.ts'
import type { Clock } from '../../common/time/index.ts'
import type { Db, Queryable } from '../../common/db/index.ts'
import { ruleLabel } from '../notify/text.ts'
import { standingLevels } from '../store.ts'
import {
  familyOf, isRefusal, rank, transition,
  type Action, type Actor, type AttachmentRef, type Refusal, type Role, type State, type Thread, type TransitionEvent,
} from './states.ts'

/** StoredThread is a thread as stored, with the furthest escalation step fired. */
export interface StoredThread extends Thread {
  escalation: string | null
}

/** StoredTransition is a transition row: the event with its id and thread. */
export interface StoredTransition extends TransitionEvent {
  id: number
  threadId: number
}

/** TransitionHook runs inside the transaction that writes a transition (the audit log's entry point). */
export type TransitionHook = (tx: Queryable, t: StoredTransition) => Promise<void>

/** Rectification is one submission, as stored. */
export interface Rectification {
  id: number
  threadId: number
  text: string
  attachments: AttachmentRef[]
  submittedBy: string
  submittedAt: number
}

/** OpenResult says what a card did to its thread. */
export interface OpenResult {
  thread: StoredThread
  /** opened a new thread, upgraded the open one, joined it without a change, or was already in it */
  change: 'opened' | 'upgraded' | 'attached' | 'none'
  transition?: StoredTransition
}

/** ThreadFilter narrows listThreads; every field is optional. */
export interface ThreadFilter {
  state?: State | State[]
  /** true: only open threads; false: only closed */
  open?: boolean
  dept?: string
  level?: Level
  caseKind?: string
  caseId?: string
  family?: string
  /** only threads with at least one escalation step fired */
  escalated?: boolean
  /** at most this many, newest change first (default 100, at most 500) */
  limit?: number
}

/** Scope is who is looking: a department sees only its own threads. */
export interface Scope {
  role: Role
  dept?: string
}

/** ThreadStoreOptions wire the store; both hooks are required, so no store can skip the audit trail. */
export interface ThreadStoreOptions {
  db: Db
  clock: Clock
  /** runs in the transaction of each transition: the audit trail's entry (threadAudit.ts auditTransition) */
  onTransition: TransitionHook
  /** the rectification deadline of an acknowledgement at ackAt (see escalation.ts rectificationDeadline) */
  rectificationDue: (ackAt: number) => number
}

/** LEVEL_WORD names a level in the history texts (zh-CN, like the SMS). */
const LEVEL_WORD: Record<Level, string> = { yellow: '黄牌', red: '红牌' }

/** SYSTEM_RULES is the actor of cards arriving from the rules engine. */
export const SYSTEM_RULES: Actor = { role: 'system', name: 'rules' }

const COLUMNS = `id, case_kind, case_id, family, dept, level, state, alert_keys, short_code, opened_at, updated_at,
  notified_at, ack_at, rectification_due_at, closed_at, escalation`

export class ThreadStore {
  constructor(private readonly opts: ThreadStoreOptions) {}

  /**
   * openOrUpgrade files a newly stored case card: it opens a thread for its (case,
   * family), or upgrades the open thread when the card is of a higher level (back to
   * raised, needing a fresh acknowledgement). Call it in the transaction that stored
   * the card, only when saveAlert reported a change. Non-case cards get no thread.
   */
  async openOrUpgrade(tx: Queryable, alert: Alert, now: number): Promise<OpenResult | null> {
    if (alert.kind === null) return null
    const family = familyOf(alert.rule)
    for (let attempt = 0; attempt < 5; attempt++) {
      const open = await tx.query<ThreadRow>(
        `SELECT ${COLUMNS} FROM alert_threads WHERE case_kind = $1 AND case_id = $2 AND family = $3 AND closed_at IS NULL FOR UPDATE`,
        [alert.kind, alert.caseId, family],
      )
      if (open.rows[0]) return this.join(tx, fromRow(open.rows[0]), alert, now)
      const inserted = await tx.query<ThreadRow>(
        `INSERT INTO alert_threads (case_kind, case_id, family, dept, level, state, alert_keys, short_code, opened_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'raised', $6, $7, $8, $8) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [alert.kind, alert.caseId, family, alert.dept, alert.level, [alert.key], newShortCode(), new Date(now)],
      )
      // Nothing inserted: another writer opened the thread first, or the short code was taken.
      if (!inserted.rows[0]) continue
      const thread = fromRow(inserted.rows[0])
      const t = await this.record(tx, thread.id, {
        action: 'open', from: null, to: 'raised', actor: SYSTEM_RULES, at: now, why: `${LEVEL_WORD[alert.level]}：${ruleLabel(alert.rule)}`,
        detail: { alertKey: alert.key, level: alert.level, rule: alert.rule, at: alert.at },
      })
      return { thread, change: 'opened', transition: t }
    }
    throw new Error(`alert threads: could not open a thread for ${alert.key}`)
  }

  private async join(tx: Queryable, thread: StoredThread, alert: Alert, now: number): Promise<OpenResult> {
    if (thread.alertKeys.includes(alert.key)) return { thread, change: 'none' }
    if (rank(alert.level) <= rank(thread.level)) {
      const r = await tx.query<ThreadRow>(
        `UPDATE alert_threads SET alert_keys = array_append(alert_keys, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
        [thread.id, alert.key],
      )
      return { thread: fromRow(r.rows[0]!), change: 'attached' }
    }
    const why = `升级为${LEVEL_WORD[alert.level]}：${ruleLabel(alert.rule)}，需重新确认`
    const r = transition(thread, { name: 'upgrade', alertKey: alert.key, level: alert.level }, SYSTEM_RULES, now, why)
    if (isRefusal(r)) throw new Error(`alert threads: upgrade refused: ${r.message}`)
    // The case may have moved to another department: the red goes to whoever holds it now.
    if (alert.dept !== thread.dept) Object.assign(r.event.detail, { fromDept: thread.dept, toDept: alert.dept })
    const next = { ...r.thread, dept: alert.dept }
    await saveThread(tx, next)
    const t = await this.record(tx, thread.id, r.event)
    return { thread: next, change: 'upgraded', transition: t }
  }

  /**
   * withdrawCard follows the rules engine's correction of a card (call it in the
   * transaction that withdrew the card): the card's open thread is withdrawn, unless
   * another of its cards still stands, in which case only that card leaves the thread
   * and the level becomes that of the cards left.
   */
  async withdrawCard(tx: Queryable, alertKey: string, by: string, now: number): Promise<StoredTransition | null> {
    const r = await tx.query<ThreadRow>(`SELECT ${COLUMNS} FROM alert_threads WHERE $1 = ANY(alert_keys) AND closed_at IS NULL FOR UPDATE`, [alertKey])
    if (!r.rows[0]) return null
    const thread = fromRow(r.rows[0])
    const rest = thread.alertKeys.filter((k) => k !== alertKey)
    const standing = await standingLevels(tx, rest)
    const actor: Actor = { role: 'system', name: by }
    // A card key is rule:level:kind:caseId; the event that disproved it is the actor.
    const [rule = alertKey, level] = alertKey.split(':')
    const why = `撤销${level === 'red' || level === 'yellow' ? LEVEL_WORD[level] : ''}：${ruleLabel(rule)}（后到事件更正）`
    const action: Action = standing.length
      ? { name: 'withdraw_card', alertKey, level: standing.some((s) => s.level === 'red') ? 'red' : 'yellow' }
      : { name: 'withdraw' }
    const t = transition(thread, action, actor, now, why)
    if (isRefusal(t)) throw new Error(`alert threads: withdrawal refused: ${t.message}`)
    t.event.detail = { ...t.event.detail, alertKey }
    await saveThread(tx, t.thread)
    return this.record(tx, thread.id, t.event)
  }

  /**
   * applyAction applies a person's or the notifier's action to a thread in one
   * transaction: the thread, its transition row (who, when, why), a submitted
   * rectification and the onTransition hook commit together or not at all.
   * `detail` is added to the transition row (e.g. the SMS message id).
   */
  async applyAction(
    threadId: number, action: Action, actor: Actor, why: string, detail: Record<string, unknown> = {},
  ): Promise<{ thread: StoredThread; transition: StoredTransition } | Refusal> {
    const at = this.opts.clock.now()
    return this.opts.db.transaction(async (tx) => {
      const r = await tx.query<ThreadRow>(`SELECT ${COLUMNS} FROM alert_threads WHERE id = $1 FOR UPDATE`, [threadId])
      if (!r.rows[0]) return { refused: 'not_found', message: `no thread ${threadId}` } satisfies Refusal
      const t = transition(fromRow(r.rows[0]), action, actor, at, why)
      if (isRefusal(t)) return t
      const next = t.thread
      // An upgrade never extends the deadline: a re-acknowledgement keeps the first one.
      if (action.name === 'acknowledge' && next.rectificationDueAt === null) {
        next.rectificationDueAt = this.opts.rectificationDue(at)
      }
      await saveThread(tx, next)
      if (action.name === 'submit_rectification') {
        await tx.query('INSERT INTO rectifications (thread_id, text, attachments, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5)', [
          threadId, action.text.trim(), JSON.stringify(action.attachments ?? []), actor.name, new Date(at),
        ])
      }
      const stored = await this.record(tx, threadId, { ...t.event, detail: { ...detail, ...t.event.detail } })
      return { thread: next, transition: stored }
    })
  }

  /** record writes a transition row and runs the hook, inside tx. */
  async record(tx: Queryable, threadId: number, e: TransitionEvent): Promise<StoredTransition> {
    const r = await tx.query<{ id: number }>(
      `INSERT INTO alert_transitions (thread_id, from_state, to_state, action, actor, actor_role, actor_dept, at, why, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [threadId, e.from, e.to, e.action, e.actor.name, e.actor.role, e.actor.dept ?? null, new Date(e.at), e.why, JSON.stringify(e.detail)],
    )
    const stored: StoredTransition = { ...e, id: r.rows[0]!.id, threadId }
    await this.opts.onTransition(tx, stored)
    return stored
  }

  /** openThreadsIn returns every open thread in one of the states, oldest first (escalation's pass). */
  async openThreadsIn(states: readonly State[]): Promise<StoredThread[]> {
    const r = await this.opts.db.query<ThreadRow>(`SELECT ${COLUMNS} FROM alert_threads WHERE closed_at IS NULL AND state = ANY($1) ORDER BY id`, [states])
    return r.rows.map(fromRow)
  }

  /** lockThread reads a thread and holds its row lock until tx ends; null when there is none. */
  async lockThread(tx: Queryable, id: number): Promise<StoredThread | null> {
    const r = await tx.query<ThreadRow>(`SELECT ${COLUMNS} FROM alert_threads WHERE id = $1 FOR UPDATE`, [id])
    return r.rows[0] ? fromRow(r.rows[0]) : null
  }

  /** setEscalation records the furthest escalation step fired on a thread, inside tx. */
  async setEscalation(tx: Queryable, id: number, step: string): Promise<void> {
    await tx.query('UPDATE alert_threads SET escalation = $2 WHERE id = $1', [id, step])
  }

  /** threadByCode finds a thread by the short code quoted in its SMS; case and spaces do not matter. */
  async threadByCode(code: string): Promise<StoredThread | null> {
    const c = code.replace(/\s+/g, '').toUpperCase()
    if (!SHORT_CODE.test(c)) return null
    const r = await this.opts.db.query<ThreadRow>(`SELECT ${COLUMNS} FROM alert_threads WHERE short_code = $1`, [c])
    return r.rows[0] ? fromRow(r.rows[0]) : null
  }

  /** threadByAlertKey returns the newest thread a card belongs to (for the SMS short code), or null. */
  async threadByAlertKey(key: string): Promise<StoredThread | null> {
    const r = await this.opts.db.query<ThreadRow>(`SELECT ${COLUMNS} FROM alert_threads WHERE $1 = ANY(alert_keys) ORDER BY id DESC LIMIT 1`, [key])
    return r.rows[0] ? fromRow(r.rows[0]) : null
  }

  /** threadById returns one thread, or null. */
  async threadById(id: number): Promise<StoredThread | null> {
    const r = await this.opts.db.query<ThreadRow>(`SELECT ${COLUMNS} FROM alert_threads WHERE id = $1`, [id])
    return r.rows[0] ? fromRow(r.rows[0]) : null
  }

  /** listThreads lists the threads a scope may see that match the filter, newest change first. */
  async listThreads(filter: ThreadFilter, scope: Scope): Promise<StoredThread[]> {
    const where: string[] = []
    const params: unknown[] = []
    const add = (sql: string, v: unknown) => where.push(sql.replace('?', `$${params.push(v)}`))
    if (scope.role === 'department') {
      if (!scope.dept) return []
      add('dept = ?', scope.dept)
    }
    if (filter.dept !== undefined) add('dept = ?', filter.dept)
    if (filter.state !== undefined) add('state = ANY(?)', Array.isArray(filter.state) ? filter.state : [filter.state])
    if (filter.open !== undefined) where.push(filter.open ? 'closed_at IS NULL' : 'closed_at IS NOT NULL')
    if (filter.level !== undefined) add('level = ?', filter.level)
    if (filter.caseKind !== undefined) add('case_kind = ?', filter.caseKind)
    if (filter.caseId !== undefined) add('case_id = ?', filter.caseId)
    if (filter.family !== undefined) add('family = ?', filter.family)
    if (filter.escalated !== undefined) where.push(filter.escalated ? 'escalation IS NOT NULL' : 'escalation IS NULL')
    const limit = Math.max(1, Math.min(500, Math.floor(filter.limit ?? 100)))
    const r = await this.opts.db.query<ThreadRow>(
      `SELECT ${COLUMNS} FROM alert_threads ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id DESC LIMIT ${limit}`,
      params,
    )
    return r.rows.map(fromRow)
  }

  /** history returns a thread's transitions, oldest first. */
  async history(threadId: number): Promise<StoredTransition[]> {
    const r = await this.opts.db.query<TransitionRow>(
      `SELECT id, thread_id, from_state, to_state, action, actor, actor_role, actor_dept, at, why, detail
       FROM alert_transitions WHERE thread_id = $1 ORDER BY id`,
      [threadId],
    )
    return r.rows.map((x) => ({
      id: x.id, threadId: x.thread_id, from: x.from_state, to: x.to_state, action: x.action as StoredTransition['action'],
      actor: { role: x.actor_role, name: x.actor, ...(x.actor_dept ? { dept: x.actor_dept } : {}) },
      at: x.at.getTime(), why: x.why, detail: x.detail,
    }))
  }

  /** rectifications returns a thread's submissions, oldest first. */
  async rectifications(threadId: number): Promise<Rectification[]> {
    const r = await this.opts.db.query<{ id: number; thread_id: number; text: string; attachments: AttachmentRef[]; submitted_by: string; submitted_at: Date }>(
      'SELECT id, thread_id, text, attachments, submitted_by, submitted_at FROM rectifications WHERE thread_id = $1 ORDER BY id',
      [threadId],
    )
    return r.rows.map((x) => ({
      id: x.id, threadId: x.thread_id, text: x.text, attachments: x.attachments, submittedBy: x.submitted_by, submittedAt: x.submitted_at.getTime(),
    }))
  }
}

/** saveThread writes a thread's changing fields. */
export async function saveThread(tx: Queryable, t: Thread): Promise<void> {
  await tx.query(
    `UPDATE alert_threads SET dept = $2, level = $3, state = $4, alert_keys = $5, updated_at = $6, notified_at = $7, ack_at = $8,
       rectification_due_at = $9, closed_at = $10 WHERE id = $1`,
    [t.id, t.dept, t.level, t.state, t.alertKeys, new Date(t.updatedAt), date(t.notifiedAt), date(t.ackAt), date(t.rectificationDueAt), date(t.closedAt)],
  )
}

// No 0/O, 1/I/L: the code is read off a phone and typed back.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const SHORT_CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/

function newShortCode(): string {
  let s = ''
  for (let i = 0; i < 6; i++) s += ALPHABET[randomInt(ALPHABET.length)]
  return s
}

interface ThreadRow {
  id: number
  case_kind: string
  case_id: string
  family: string
  dept: string
  level: Level
  state: State
  alert_keys: string[]
  short_code: string
  opened_at: Date
  updated_at: Date
  notified_at: Date | null
  ack_at: Date | null
  rectification_due_at: Date | null
  closed_at: Date | null
  escalation: string | null
}

interface TransitionRow {
  id: number
  thread_id: number
  from_state: State | null
  to_state: State
  action: string
  actor: string
  actor_role: Role
  actor_dept: string | null
  at: Date
  why: string
  detail: Record<string, unknown>
}

/** fromRow turns an alert_threads row into a thread. */
function fromRow(r: ThreadRow): StoredThread {
  return {
    id: r.id, caseKind: r.case_kind, caseId: r.case_id, family: r.family, dept: r.dept, level: r.level, state: r.state,
    alertKeys: r.alert_keys, shortCode: r.short_code, openedAt: r.opened_at.getTime(), updatedAt: r.updated_at.getTime(),
    notifiedAt: ms(r.notified_at), ackAt: ms(r.ack_at), rectificationDueAt: ms(r.rectification_due_at), closedAt: ms(r.closed_at),
    escalation: r.escalation,
  }
}

function ms(d: Date | null): number | null {
  return d ? d.getTime() : null
}

function date(t: number | null): Date | null {
  return t === null ? null : new Date(t)
}

/** ThreadDeadlines is what the cooperation counts (kpi, docs/kpi.md) read of a supervision thread. */
export interface ThreadDeadlines {
  id: number
  dept: string
  state: State
  notifiedAt: number | null
  ackAt: number | null
  rectificationDueAt: number | null
  /** when the inspector approved the rectification (the thread closed approved) */
  approvedAt: number | null
  updatedAt: number
}

/** threadDeadlines lists the threads changed at or after `since`, and every open one (whose deadlines may pass unchanged). */
export async function threadDeadlines(db: Queryable, since: number): Promise<ThreadDeadlines[]> {
  const r = await db.query<{ id: number; dept: string; state: State; notified_at: Date | null; ack_at: Date | null; rectification_due_at: Date | null; closed_at: Date | null; updated_at: Date }>(
    'SELECT id, dept, state, notified_at, ack_at, rectification_due_at, closed_at, updated_at FROM alert_threads WHERE updated_at >= $1 OR closed_at IS NULL ORDER BY id',
    [new Date(since)],
  )
  const ms = (d: Date | null) => (d ? d.getTime() : null)
  return r.rows.map((x) => ({
    id: Number(x.id), dept: x.dept, state: x.state, notifiedAt: ms(x.notified_at), ackAt: ms(x.ack_at), rectificationDueAt: ms(x.rectification_due_at),
    approvedAt: x.state === 'approved' ? ms(x.closed_at) : null, updatedAt: x.updated_at.getTime(),
  }))
}
