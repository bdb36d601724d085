import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alertKey, type Alert } from '../../common/contract/alert.ts'
import type { Db } from '../../common/db/db.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { defaultContext } from '../../rules/context.ts'
import { saveAlert } from '../store.ts'
import {
  DEFAULT_ESCALATION, rectificationDeadline, runEscalationOnce, startEscalation, stepInstant, stepsDue,
  type EscalationOptions, type Step,
} from './escalation.ts'
import { isRefusal, type Actor, type State, type Thread } from './states.ts'
import { ThreadStore, type StoredThread } from './threadStore.ts'

const ctx = defaultContext()
const at = (s: string) => Date.parse(s)
const fmt = (t: number | null) => (t === null ? null : ctx.zone.format(t))

const thread = (state: State, over: Partial<Thread> = {}): Thread => ({
  id: 1, caseKind: 'approval', caseId: 'A-1', family: 'approval.deadline', dept: 'land', level: 'yellow', state,
  alertKeys: ['k'], shortCode: 'ABCDEF', openedAt: 0, updatedAt: 0, notifiedAt: null, ackAt: null, rectificationDueAt: null, closedAt: null, ...over,
})

describe('stepInstant', () => {
  const S = DEFAULT_ESCALATION
  it('counts 4 and 8 office hours after the notice across a weekend', () => {
    const t = thread('notified', { notifiedAt: at('2026-11-20T15:00:00+08:00') }) // a Friday
    expect(fmt(stepInstant(t, 'head', S, ctx))).toBe('2026-11-23T11:00:00+08:00')
    expect(fmt(stepInstant(t, 'inspectors', S, ctx))).toBe('2026-11-23T15:00:00+08:00')
  })
  it('skips the National Day holiday', () => {
    const t = thread('notified', { notifiedAt: at('2026-09-30T16:00:00+08:00') })
    expect(fmt(stepInstant(t, 'head', S, ctx))).toBe('2026-10-08T12:00:00+08:00')
    expect(fmt(stepInstant(t, 'inspectors', S, ctx))).toBe('2026-10-08T16:00:00+08:00')
  })
  it('starts counting at 09:00 for a notice sent at night', () => {
    const t = thread('notified', { notifiedAt: at('2026-11-23T22:00:00+08:00') })
    expect(fmt(stepInstant(t, 'head', S, ctx))).toBe('2026-11-24T13:00:00+08:00')
  })
  it('gives the rectification 5 working days of office hours after acknowledgement', () => {
    const ack = at('2026-11-20T15:00:00+08:00')
    expect(fmt(rectificationDeadline(ack, S, ctx))).toBe('2026-11-27T15:00:00+08:00')
    expect(fmt(stepInstant(thread('acknowledged', { ackAt: ack }), 'accountability', S, ctx))).toBe('2026-11-27T15:00:00+08:00')
    expect(fmt(stepInstant(thread('returned', { ackAt: ack, rectificationDueAt: ack + 1 }), 'accountability', S, ctx))).toBe(fmt(ack + 1))
  })
  it.each<[State, Partial<Thread>, Step]>([
    ['raised', {}, 'head'],
    ['acknowledged', { notifiedAt: 1, ackAt: 2 }, 'head'],
    ['rectification_submitted', { notifiedAt: 1, ackAt: 2 }, 'inspectors'],
    ['rectification_submitted', { notifiedAt: 1, ackAt: 2 }, 'accountability'],
    ['notified', { notifiedAt: 1 }, 'accountability'],
  ])('does not apply to a %s thread: %o %s', (state, over, step) => {
    expect(stepInstant(thread(state, over), step, S, ctx)).toBeNull()
  })
})

describe('stepsDue', () => {
  const t = thread('notified', { notifiedAt: at('2026-11-20T15:00:00+08:00') })
  const due = (now: string, fired: Step[] = []) => stepsDue(t, new Set(fired), at(now), DEFAULT_ESCALATION, ctx).map((d) => d.step)
  it('fires nothing before the instant, over the weekend', () => {
    expect(due('2026-11-21T12:00:00+08:00')).toEqual([])
    expect(due('2026-11-23T10:59:59+08:00')).toEqual([])
  })
  it('fires each step at its instant', () => {
    expect(due('2026-11-23T11:00:00+08:00')).toEqual(['head'])
    expect(due('2026-11-23T15:00:00+08:00', ['head'])).toEqual(['inspectors'])
  })
  it('catches up on both steps after a long outage, mildest first', () => expect(due('2026-11-30T09:00:00+08:00')).toEqual(['head', 'inspectors']))
  it('does not repeat a fired step', () => expect(due('2026-11-30T09:00:00+08:00', ['head', 'inspectors'])).toEqual([]))
})

const HEAD = at('2026-11-23T11:00:00+08:00')
const INSPECTORS = at('2026-11-23T15:00:00+08:00')
const FRIDAY = at('2026-11-20T15:00:00+08:00')

describe.each(openTestDbs())('escalation on $name', (backend) => {
  let db: Db
  const clock = { t: FRIDAY, now() { return this.t } }
  let store: ThreadStore
  let sent: Array<{ step: Step; thread: StoredThread }> = []
  let failNotify = false
  const sms: Actor = { role: 'system', name: 'sms' }
  const land: Actor = { role: 'department', dept: 'land', name: 'zhang' }

  const opts = (): EscalationOptions => ({
    db, clock, ctx, store,
    notify: async (step, thread) => {
      if (failNotify) throw new Error('sms gateway down')
      sent.push({ step, thread })
    },
  })
  const newStore = () => new ThreadStore({ db, clock, rectificationDue: (t) => rectificationDeadline(t, DEFAULT_ESCALATION, ctx) })
  const stepsOf = (id: number) => sent.filter((s) => s.thread.id === id).map((s) => s.step)
  const run = (iso: string) => runEscalationOnce(opts(), at(iso))

  /** notified opens a thread for a new case and notifies it at `when`. */
  async function notified(caseId: string, when: number): Promise<number> {
    clock.t = when
    const a: Alert = {
      key: alertKey('approval.due_soon', 'yellow', 'approval', caseId), rule: 'approval.due_soon', level: 'yellow', kind: 'approval',
      caseId, dept: 'land', at: ctx.zone.format(when), causes: [], settingsVersion: 'builtin-1',
    }
    const r = await db.transaction(async (tx) => {
      await saveAlert(tx, a, when)
      return store.openOrUpgrade(tx, a, when)
    })
    const n = await store.applyAction(r!.thread.id, { name: 'notify' }, sms, 'sms sent')
    if (isRefusal(n)) throw new Error(n.message)
    return r!.thread.id
  }

  beforeAll(async () => {
    db = await backend.open()
    store = newStore()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('fires head then inspectors once each, at the working-hour instants across the weekend', async () => {
    const id = await notified('A-STEPS', FRIDAY)
    for (const now of ['2026-11-20T16:59:00+08:00', '2026-11-21T12:00:00+08:00', '2026-11-22T23:00:00+08:00', '2026-11-23T10:59:59+08:00']) {
      await run(now)
      expect(stepsOf(id), now).toEqual([])
    }
    const fired = await run('2026-11-23T11:00:00+08:00')
    expect(fired.filter((f) => f.threadId === id)).toEqual([{ threadId: id, step: 'head', dueAt: HEAD, firedAt: HEAD }])
    await run('2026-11-23T11:00:00+08:00') // run twice
    await run('2026-11-23T14:59:00+08:00')
    expect(stepsOf(id)).toEqual(['head'])
    await run('2026-11-23T15:00:00+08:00')
    await run('2026-11-23T15:01:00+08:00')
    expect(stepsOf(id)).toEqual(['head', 'inspectors'])
    expect((await store.threadById(id))?.escalation).toBe('inspectors')
    const h = (await store.history(id)).filter((t) => t.action === 'escalate')
    expect(h.map((t) => [t.detail.step, t.at, t.actor.name, t.from, t.to])).toEqual([
      ['head', HEAD, 'escalation', 'notified', 'notified'],
      ['inspectors', INSPECTORS, 'escalation', 'notified', 'notified'],
    ])
    expect(h[1]!.why).toContain('督办')
    const rows = await db.query<{ step: string; fired_at: Date }>('SELECT step, fired_at FROM escalation_steps WHERE thread_id = $1 ORDER BY fired_at', [id])
    expect(rows.rows.map((r) => [r.step, r.fired_at.getTime()])).toEqual([['head', HEAD], ['inspectors', INSPECTORS]])
  })

  it('neither skips nor repeats across a restart, and catches up on steps that fell due while down', async () => {
    const id = await notified('A-RESTART', FRIDAY)
    await run('2026-11-23T11:30:00+08:00')
    expect(stepsOf(id)).toEqual(['head'])
    // "restart": a fresh store and options, nothing carried over in memory
    store = newStore()
    await run('2026-11-24T09:00:00+08:00')
    await run('2026-11-24T09:00:00+08:00')
    expect(stepsOf(id)).toEqual(['head', 'inspectors'])
    // down from Friday until Tuesday: both steps at the first run
    const late = await notified('A-CATCHUP', FRIDAY)
    const fired = await run('2026-11-24T09:05:00+08:00')
    expect(fired.filter((f) => f.threadId === late).map((f) => [f.step, f.dueAt])).toEqual([['head', HEAD], ['inspectors', INSPECTORS]])
  })

  it('counts across the National Day holiday', async () => {
    const id = await notified('A-HOLIDAY', at('2026-09-30T16:00:00+08:00'))
    await run('2026-10-05T12:00:00+08:00')
    await run('2026-10-08T11:59:00+08:00')
    expect(stepsOf(id)).toEqual([])
    await run('2026-10-08T12:00:00+08:00')
    expect(stepsOf(id)).toEqual(['head'])
  })

  it('stops escalating once the department acknowledges', async () => {
    const id = await notified('A-ACKED', FRIDAY)
    await run('2026-11-23T11:00:00+08:00')
    clock.t = at('2026-11-23T12:00:00+08:00')
    await store.applyAction(id, { name: 'acknowledge' }, land, '')
    await run('2026-11-23T16:00:00+08:00')
    expect(stepsOf(id)).toEqual(['head'])
  })

  it('opens a 问责 record and tells the leader when the rectification is overdue', async () => {
    const id = await notified('A-ACCOUNT', FRIDAY)
    await store.applyAction(id, { name: 'acknowledge' }, land, '')
    const due = at('2026-11-27T15:00:00+08:00')
    expect((await store.threadById(id))?.rectificationDueAt).toBe(due)
    await run('2026-11-27T14:59:00+08:00')
    expect(stepsOf(id)).toEqual([])
    await run('2026-11-27T15:00:00+08:00')
    await run('2026-11-30T10:00:00+08:00')
    expect(stepsOf(id)).toEqual(['accountability'])
    const acc = await db.query<{ dept: string; reason: string; due_at: Date }>('SELECT dept, reason, due_at FROM accountabilities WHERE thread_id = $1', [id])
    expect(acc.rows).toEqual([{ dept: 'land', reason: expect.stringContaining('问责'), due_at: new Date(due) }])
    // a rectification submitted in time is not overdue
    const ok = await notified('A-INTIME', FRIDAY)
    await store.applyAction(ok, { name: 'acknowledge' }, land, '')
    await store.applyAction(ok, { name: 'submit_rectification', text: '已补办审批手续并完成整改' }, land, '')
    await run('2026-12-07T10:00:00+08:00')
    expect(stepsOf(ok)).toEqual([])
  })

  it('retries a step whose notice failed, and fires it once', async () => {
    const id = await notified('A-RETRY', FRIDAY)
    failNotify = true
    try {
      await run('2026-11-23T11:00:00+08:00')
    } finally {
      failNotify = false
    }
    expect((await db.query('SELECT step FROM escalation_steps WHERE thread_id = $1', [id])).rows).toEqual([])
    await run('2026-11-23T11:01:00+08:00')
    await run('2026-11-23T11:02:00+08:00')
    expect(stepsOf(id)).toEqual(['head'])
  })

  it('fires a step once when two instances run at the same time', async () => {
    const id = await notified('A-RACE', FRIDAY)
    const now = at('2026-11-23T11:00:00+08:00')
    const other: EscalationOptions = { ...opts(), store: newStore() }
    await Promise.all([runEscalationOnce(opts(), now), runEscalationOnce(other, now), runEscalationOnce(opts(), now)])
    expect(stepsOf(id)).toEqual(['head'])
  })

  it('runs on its cron schedule and catches up at start', async () => {
    const id = await notified('A-CRON', FRIDAY)
    clock.t = HEAD
    sent = []
    const h = startEscalation({ ...opts(), cron: '* * * * * *' })
    try {
      await expect.poll(() => stepsOf(id), { timeout: 5000 }).toEqual(['head'])
      clock.t = INSPECTORS
      await expect.poll(() => stepsOf(id), { timeout: 5000 }).toEqual(['head', 'inspectors'])
      await new Promise((r) => setTimeout(r, 1500))
      expect(stepsOf(id)).toEqual(['head', 'inspectors'])
    } finally {
      await h.stop()
    }
    expect(() => startEscalation({ ...opts(), cron: 'every minute' })).toThrow(/bad cron/)
  })
})
