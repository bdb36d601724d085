/**
 * Escalation (督办 → 问责) of departments that do not answer, counted in office hours
 * on the rules' working-day calendar:
 *   head           — not acknowledged N office hours after the notice: SMS to the department head
 *   inspectors     — still not acknowledged M office hours after the notice: the inspectors supervise (督办)
 *   accountability — rectification overdue (K working days after acknowledgement): 问责 record, leader told
 * The decision is pure (stepsDue); runEscalationOnce applies it to the stored threads,
 * and startEscalation runs that on a node-cron schedule. Each step fires once per
 * thread: its escalation_steps row is inserted in the same transaction as its effect.
 * A pass has two phases: decide (each due step, with its notice, in its own
 * transaction) and compose (the pending notices grouped into texts, see notices.ts).
 */
import cron from 'node-cron'
import { afterWorkingHours, type Clock, OFFICE } from '../../common/time/index.ts'
import type { Db, Queryable } from '../../common/db/index.ts'
import type { Logger } from '../../common/log/index.ts'
import type { ClockDeps } from '../../rules/index.ts'
import type { Actor, State, Thread } from './states.ts'
import type { StoredThread, ThreadStore } from './threadStore.ts'

/** Step is one escalation step, in the order they can fire. */
export type Step = 'head' | 'inspectors' | 'accountability'

/** STEPS lists the steps from mildest to gravest. */
export const STEPS: readonly Step[] = ['head', 'inspectors', 'accountability']

/** EscalationSettings are the thresholds; hours are office hours (09:00–17:00 on working days). */
export interface EscalationSettings {
  /** office hours after the notice without acknowledgement before the head is told */
  headAfterHours: number
  /** office hours after the notice without acknowledgement before the inspectors supervise */
  inspectorsAfterHours: number
  /** working days after acknowledgement for the rectification; a working day is 8 office hours */
  rectificationDays: number
}

/** DEFAULT_ESCALATION: 4 and 8 office hours, 5 working days. */
export const DEFAULT_ESCALATION: EscalationSettings = { headAfterHours: 4, inspectorsAfterHours: 8, rectificationDays: 5 }

/** ESCALATION_ACTOR is who records escalation steps. */
export const ESCALATION_ACTOR: Actor = { role: 'system', name: 'escalation' }

/** DueStep is a step that has fallen due, and when it did. */
export interface DueStep {
  step: Step
  dueAt: number
}

/**
 * rectificationDeadline is when a rectification acknowledged at ackAt falls overdue:
 * `rectificationDays` working days of office hours later, so it falls due in office
 * hours, when a leader can be reached.
 */
export function rectificationDeadline(ackAt: number, settings: EscalationSettings, deps: ClockDeps): number {
  return afterWorkingHours(ackAt, settings.rectificationDays * (OFFICE.end - OFFICE.start), deps)
}

/** stepInstant returns when a step falls due for the thread as it stands, or null when it does not apply now. */
export function stepInstant(thread: Thread, step: Step, settings: EscalationSettings, deps: ClockDeps): number | null {
  const awaitingAck = (thread.state === 'raised' || thread.state === 'notified') && thread.notifiedAt !== null
  const awaitingRectification = (thread.state === 'acknowledged' || thread.state === 'returned') && thread.ackAt !== null
  switch (step) {
    case 'head':
      return awaitingAck ? afterWorkingHours(thread.notifiedAt!, settings.headAfterHours, deps) : null
    case 'inspectors':
      return awaitingAck ? afterWorkingHours(thread.notifiedAt!, settings.inspectorsAfterHours, deps) : null
    case 'accountability':
      if (!awaitingRectification) return null
      return thread.rectificationDueAt ?? rectificationDeadline(thread.ackAt!, settings, deps)
  }
}

/**
 * stepsDue returns the steps not yet fired whose instant has come by `now`, mildest
 * first. A step whose instant passed while nothing ran is due all the same (catch-up);
 * a step whose condition no longer holds (the department has since answered) is not.
 */
export function stepsDue(thread: Thread, fired: ReadonlySet<Step>, now: number, settings: EscalationSettings, deps: ClockDeps): DueStep[] {
  const out: DueStep[] = []
  for (const step of STEPS) {
    if (fired.has(step)) continue
    const at = stepInstant(thread, step, settings, deps)
    if (at !== null && at <= now) out.push({ step, dueAt: at })
  }
  return out
}

/**
 * Notify records a step's notice; it runs inside the step's transaction, at the
 * pass's instant `now`, and writes with tx (recordNotice writes a pending notice).
 */
export type Notify = (step: Step, thread: StoredThread, tx: Queryable, now: number) => Promise<void>

/** Compose turns the pending notices into texts (composeNotices); it runs after each pass's decisions. */
export type Compose = (now: number) => Promise<unknown>

/** EscalationOptions wire escalation. */
export interface EscalationOptions {
  db: Db
  clock: Clock
  /** the rules' zone and working-day calendar (a RuleContext will do) */
  ctx: ClockDeps
  notify: Notify
  /** the compose phase; without it a pass only decides */
  compose?: Compose
  settings?: EscalationSettings
  /** the process's thread store (alerts/compose.ts): each step's transition is audited through its hook */
  store: ThreadStore
  log?: Logger
}

/** FiredStep is a step that fired in a run. */
export interface FiredStep {
  threadId: number
  step: Step
  dueAt: number
  firedAt: number
}

/** WAITING are the states in which a thread waits on its department, so a step may fall due. */
const WAITING: readonly State[] = ['raised', 'notified', 'acknowledged', 'returned']

/**
 * runEscalationOnce fires every step due at `now` (virtual time in tests), then
 * composes the pending notices: those of this pass and any a crashed or failed pass
 * left, so the pass run at start picks up leftovers. Each step commits on its own;
 * one whose notify throws is rolled back and tried again next run. A compose that
 * fails leaves its notices pending for the next pass.
 */
export async function runEscalationOnce(opts: EscalationOptions, now: number): Promise<FiredStep[]> {
  try {
    return await decide(opts, now)
  } finally {
    await compose(opts, now)
  }
}

/** decide fires every step due at `now`, one transaction each. */
async function decide(opts: EscalationOptions, now: number): Promise<FiredStep[]> {
  const settings = opts.settings ?? DEFAULT_ESCALATION
  const threads = await opts.store.openThreadsIn(WAITING)
  const fired = await firedSteps(opts.db, threads.map((t) => t.id))
  const out: FiredStep[] = []
  for (const thread of threads) {
    for (const due of stepsDue(thread, fired.get(thread.id) ?? new Set(), now, settings, opts.ctx)) {
      try {
        const f = await fireStep(opts, thread.id, due.step, now)
        if (f) out.push(f)
      } catch (e) {
        opts.log?.error('escalation step failed; will retry', { thread: thread.id, step: due.step, error: (e as Error).message })
        break
      }
    }
  }
  return out
}

/** firedSteps returns, per thread, the steps already fired on it (table escalation_steps). */
async function firedSteps(db: Queryable, threadIds: readonly number[]): Promise<Map<number, Set<Step>>> {
  const out = new Map<number, Set<Step>>()
  if (threadIds.length === 0) return out
  const r = await db.query<{ thread_id: number; step: Step }>('SELECT thread_id, step FROM escalation_steps WHERE thread_id = ANY($1::bigint[])', [threadIds])
  for (const row of r.rows) {
    const id = Number(row.thread_id)
    out.set(id, (out.get(id) ?? new Set<Step>()).add(row.step))
  }
  return out
}

/** compose runs the compose phase; a failure is logged and its notices stay pending. */
async function compose(opts: EscalationOptions, now: number): Promise<void> {
  if (!opts.compose) return
  try {
    await opts.compose(now)
  } catch (e) {
    opts.log?.error('composing escalation texts failed; will retry', { error: (e as Error).message })
  }
}

/** fireStep re-checks the step under the thread's row lock and fires it once: mark, effect, transition, notify. */
async function fireStep(opts: EscalationOptions, threadId: number, step: Step, now: number): Promise<FiredStep | null> {
  const settings = opts.settings ?? DEFAULT_ESCALATION
  const store = opts.store
  return opts.db.transaction(async (tx) => {
    const thread = await store.lockThread(tx, threadId)
    if (!thread) return null
    const dueAt = thread.closedAt === null ? stepInstant(thread, step, settings, opts.ctx) : null
    if (dueAt === null || dueAt > now) return null
    const ins = await tx.query('INSERT INTO escalation_steps (thread_id, step, fired_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING step', [
      threadId, step, new Date(now),
    ])
    if (!ins.rowCount) return null
    const furthest = STEPS[Math.max(STEPS.indexOf(step), STEPS.indexOf(thread.escalation as Step))]!
    await store.setEscalation(tx, threadId, furthest)
    const why = reason(step, settings)
    if (step === 'accountability') {
      await tx.query('INSERT INTO accountabilities (thread_id, dept, level, reason, due_at, opened_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', [
        threadId, thread.dept, thread.level, why, new Date(dueAt), new Date(now),
      ])
    }
    await opts.notify(step, { ...thread, escalation: furthest }, tx, now)
    // Last, so that the onTransition hook (the audit log) sees the step as it commits.
    await store.record(tx, threadId, { action: 'escalate', from: thread.state, to: thread.state, actor: ESCALATION_ACTOR, at: now, why, detail: { step, dueAt } })
    opts.log?.info(`escalation ${step}`, { thread: threadId, dept: thread.dept, case: thread.caseId })
    return { threadId, step, dueAt, firedAt: now }
  })
}

function reason(step: Step, s: EscalationSettings): string {
  switch (step) {
    case 'head':
      return `通知后${s.headAfterHours}个工作小时未确认，短信通知部门负责人`
    case 'inspectors':
      return `通知后${s.inspectorsAfterHours}个工作小时仍未确认，转监察员督办`
    case 'accountability':
      return `确认后${s.rectificationDays}个工作日未完成整改，启动问责并通知分管领导`
  }
}

/** EscalationHandle is a running escalation schedule. */
export interface EscalationHandle {
  /** runs one pass now (or at a virtual `now`), after any pass in flight */
  runEscalationOnce(now?: number): Promise<FiredStep[]>
  stop(): Promise<void>
}

/**
 * startEscalation runs a pass at once (catching up on steps that fell due while the
 * process was down) and then on the cron schedule, every minute by default. A tick
 * that comes while a pass is still running is skipped.
 */
export function startEscalation(opts: EscalationOptions & { cron?: string }): EscalationHandle {
  const expr = opts.cron ?? '* * * * *'
  if (!cron.validate(expr)) throw new Error(`escalation: bad cron expression "${expr}"`)
  let chain: Promise<unknown> = Promise.resolve()
  let busy = false
  const run = (now: number): Promise<FiredStep[]> => {
    const p = chain.then(() => runEscalationOnce(opts, now))
    chain = p.catch(() => {})
    return p
  }
  const tick = async () => {
    if (busy) return
    busy = true
    try {
      await run(opts.clock.now())
    } catch (e) {
      opts.log?.error('escalation pass failed', { error: (e as Error).message })
    } finally {
      busy = false
    }
  }
  const task = cron.schedule(expr, tick, { name: 'jiancha-escalation', noOverlap: true })
  void tick()
  return {
    runEscalationOnce: (now = opts.clock.now()) => run(now),
    stop: async () => {
      await task.stop()
      await task.destroy()
      await chain
    },
  }
}
