/**
 * Escalation notices (table escalation_notices, migration 015), in two phases:
 *   decide  — a step that fires records a pending notice in its own transaction (recordNotice)
 *   compose — the pending notices are grouped, in the spirit of Alertmanager's group_by,
 *             into one text per recipient (composeNotices):
 *               head           — per department, to that department's head
 *               inspectors     — all together, to the inspectors' list (duty and head)
 *               accountability — all together, to the leaders' list (duty and head)
 * A group is queued in sms_outbox and marked composed in one transaction: a crash
 * leaves it pending, composed again next time under the same ref, so it is texted once.
 */
import type { Level } from '../../common/contract/index.ts'
import type { Db, Queryable } from '../../common/db/index.ts'
import type { Logger } from '../../common/log/index.ts'
import { contactsOf } from '../notify/contactStore.ts'
import { enqueue } from '../sms/outbox.ts'
import { type DeptNameOf, NO_NAMES } from '../notify/text.ts'
import type { Step } from './escalation.ts'
import { noticeText, type NoticeFacts } from './noticeText.ts'
import type { StoredThread } from './threadStore.ts'

/** Notice is one escalation notice: a step fired for a thread, to be told. */
export interface Notice extends NoticeFacts {
  id: number
  threadId: number
  step: Step
  createdAt: number
}

/** NoticeGroup is what notices are texted together by: the step, and the department for `head`. */
export interface NoticeGroup {
  step: Step
  /** the department, for `head`; null for the steps that reach a list across departments */
  dept: string | null
}

/** EscalationLists name the contact lists that the steps beyond the department reach. */
export interface EscalationLists {
  inspectors: string
  leaders: string
}

/** ComposeOptions wire composeNotices. */
export interface ComposeOptions {
  db: Db
  lists: EscalationLists
  /** the registry's names of departments; without it texts name departments by code */
  deptName?: DeptNameOf
  log?: Logger
  /** told each outbox id queued, once its transaction has committed (walls show it live) */
  onQueued?: (id: number) => void
}

/** Composed is one group that went out: its notices, the outbox ref (null: nobody to text) and the rows queued. */
export interface Composed extends NoticeGroup {
  notices: number[]
  ref: string | null
  queued: number[]
}

/**
 * recordNotice is the escalation's Notify: it writes the step's pending notice with
 * tx, so that the notice commits with the step or not at all.
 */
export async function recordNotice(step: Step, thread: StoredThread, tx: Queryable, now: number): Promise<void> {
  await tx.query(
    `INSERT INTO escalation_notices (thread_id, step, dept, level, rule, short_code, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (thread_id, step) DO NOTHING`,
    [thread.id, step, thread.dept, thread.level, ruleOf(thread), thread.shortCode, new Date(now)],
  )
}

// A card key is rule:level:kind:caseId, oldest first: the last is the card the thread stands on.
function ruleOf(thread: StoredThread): string {
  const key = thread.alertKeys[thread.alertKeys.length - 1]
  return key?.split(':')[0] || thread.family
}

/** groupOf is the group a notice of step about dept is texted in. */
export function groupOf(step: Step, dept: string): NoticeGroup {
  return { step, dept: step === 'head' ? dept : null }
}

/** noticeRef is the outbox ref of a group's text: stable while the group is pending, so a retry queues nothing twice. */
export function noticeRef(g: NoticeGroup, firstId: number): string {
  return `escalation:${g.step}:${g.dept ?? 'all'}:${firstId}`
}

/**
 * composeNotices texts every pending notice, group by group, oldest group first. A
 * group that fails is rolled back, logged and left pending for the next call; the
 * others go on.
 */
export async function composeNotices(opts: ComposeOptions, now: number): Promise<Composed[]> {
  const out: Composed[] = []
  for (const g of await pendingGroups(opts.db)) {
    let c: Composed | null
    try {
      c = await composeGroup(opts, g, now)
    } catch (e) {
      opts.log?.error('composing escalation texts failed; will retry', { step: g.step, dept: g.dept ?? 'all', error: (e as Error).message })
      continue
    }
    if (!c) continue
    out.push(c)
    for (const id of c.queued) announce(opts, id)
    opts.log?.info(`escalation texts ${g.step}`, { dept: g.dept ?? 'all', notices: c.notices.length, texts: c.queued.length })
  }
  return out
}

/** pendingGroups lists the groups that have pending notices, oldest first. */
export async function pendingGroups(q: Queryable): Promise<NoticeGroup[]> {
  const r = await q.query<NoticeGroup>(
    `SELECT step, CASE WHEN step = 'head' THEN dept END AS dept FROM escalation_notices
     WHERE composed_at IS NULL GROUP BY 1, 2 ORDER BY min(id)`,
  )
  return r.rows
}

/**
 * composeGroup locks the group's pending notices, queues one text per recipient and
 * marks them composed, in one transaction. Null when another composer took them first.
 */
async function composeGroup(opts: ComposeOptions, g: NoticeGroup, now: number): Promise<Composed | null> {
  const done = await opts.db.transaction(async (tx) => {
    const r = await tx.query<NoticeRow>(
      `SELECT ${NOTICE_COLUMNS} FROM escalation_notices
       WHERE composed_at IS NULL AND step = $1 AND ($2::text IS NULL OR dept = $2) ORDER BY id FOR UPDATE`,
      [g.step, g.dept],
    )
    const notices = r.rows.map(fromNoticeRow)
    if (!notices.length) return null
    const to = await recipientsOf(tx, g, opts.lists)
    // Nobody to text: the notices are closed all the same, with no ref, as the texts
    // were before grouping. Kept pending they would be retried every minute and reach
    // a contact added days later as a stale digest; the steps themselves (thread mark,
    // 问责 record, transition) stand either way and show on the consoles.
    const ref = to.phones.length ? noticeRef(g, notices[0]!.id) : null
    const body = noticeText(g.step, notices, opts.deptName ?? NO_NAMES)
    const depts = new Set(notices.map((n) => n.dept))
    const dept = g.dept ?? (depts.size === 1 ? notices[0]!.dept : undefined)
    const queued: number[] = []
    if (ref !== null) {
      for (const phone of to.phones) {
        const id = await enqueue(tx, ref, phone, body, dept)
        if (id !== null) queued.push(id)
      }
    }
    const ids = notices.map((n) => n.id)
    await tx.query('UPDATE escalation_notices SET composed_at = $2, ref = $3 WHERE id = ANY($1::bigint[])', [ids, new Date(now), ref])
    return { composed: { ...g, notices: ids, ref, queued }, list: to.list }
  })
  if (done && done.composed.ref === null) {
    opts.log?.warn('escalation: nobody to text', { step: g.step, list: done.list, notices: done.composed.notices.length })
  }
  return done?.composed ?? null
}

/** recipientsOf names the contact list a group goes to and its phones: the head of the department, or a list's duty and head. */
async function recipientsOf(q: Queryable, g: NoticeGroup, lists: EscalationLists): Promise<{ list: string; phones: string[] }> {
  const list = g.step === 'head' ? g.dept! : g.step === 'inspectors' ? lists.inspectors : lists.leaders
  const who = await contactsOf(q, list)
  const phones = g.step === 'head' ? [who.head?.phone] : [who.duty?.phone, who.head?.phone]
  return { list, phones: [...new Set(phones.filter((p): p is string => !!p))] }
}

// A wall missing one change is not worth failing the pass over.
function announce(opts: ComposeOptions, id: number): void {
  try {
    opts.onQueued?.(id)
  } catch (e) {
    opts.log?.warn('announcing an escalation text failed', { id, error: (e as Error).message })
  }
}

/** pendingNotices lists the notices not composed yet, oldest first. */
export async function pendingNotices(q: Queryable): Promise<Notice[]> {
  const r = await q.query<NoticeRow>(`SELECT ${NOTICE_COLUMNS} FROM escalation_notices WHERE composed_at IS NULL ORDER BY id`)
  return r.rows.map(fromNoticeRow)
}

const NOTICE_COLUMNS = 'id, thread_id, step, dept, level, rule, short_code, created_at'

interface NoticeRow {
  id: number
  thread_id: number
  step: Step
  dept: string
  level: Level
  rule: string
  short_code: string
  created_at: Date
}

function fromNoticeRow(r: NoticeRow): Notice {
  return { id: r.id, threadId: r.thread_id, step: r.step, dept: r.dept, level: r.level, rule: r.rule, shortCode: r.short_code, createdAt: r.created_at.getTime() }
}
