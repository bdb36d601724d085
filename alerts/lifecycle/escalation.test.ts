import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { alertKey, type Alert, type Level } from '../../common/contract/index.ts'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { defaultContext } from '../../rules/index.ts'
import { upsertContact } from '../notify/contactStore.ts'
import { deptNames } from '../notify/testing.ts'
import { outboxMessages } from '../sms/outbox.ts'
import { composeAlerts } from '../compose.ts'
import { saveAlert } from '../store.ts'
import {
  DEFAULT_ESCALATION, rectificationDeadline, runEscalationOnce, startEscalation, stepInstant, stepsDue,
  type EscalationOptions, type Step,
} from './escalation.ts'
import { composeNotices, pendingNotices, recordNotice } from './notices.ts'
import { isRefusal, type Actor, type State, type Thread } from './states.ts'
import type { StoredThread, ThreadStore } from './threadStore.ts'

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
  const newStore = () => composeAlerts({ db, clock, ctx }).threads
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

describe.each(openTestDbs())('escalation texts on $name', (backend) => {
  let db: Db
  const clock = { t: FRIDAY, now() { return this.t } }
  let store: ThreadStore
  let queued: number[] = []
  let cases = 0
  const sms: Actor = { role: 'system', name: 'sms' }
  const PHONE = {
    marketDuty: '+8613800000001', marketHead: '+8613800000002', taxHead: '+8613800000003', healthHead: '+8613800000004',
    inspectionDuty: '+8613800000005', inspectionHead: '+8613800000006',
  }

  /** opts wire both phases as the notifier does: decide records notices, compose texts them. */
  const opts = (over: Partial<EscalationOptions> = {}): EscalationOptions => ({
    db, clock, ctx, store, notify: recordNotice,
    compose: (now) => composeNotices({ db, lists: { inspectors: 'inspection', leaders: 'leaders' }, deptName: deptNames, onQueued: (id) => queued.push(id) }, now),
    ...over,
  })
  const newStore = () => composeAlerts({ db, clock, ctx }).threads
  const texts = async () => (await outboxMessages(db)).map((m) => ({ to: m.recipient, body: m.body, dept: m.dept }))

  /** notified opens a thread of dept on a new case's card and notifies it on Friday 15:00. */
  async function notified(dept: string, level: Level = 'yellow'): Promise<StoredThread> {
    clock.t = FRIDAY
    const rule = level === 'red' ? 'approval.overdue' : 'approval.due_soon'
    const caseId = `T-${++cases}`
    const a: Alert = { key: alertKey(rule, level, 'approval', caseId), rule, level, kind: 'approval', caseId, dept, at: ctx.zone.format(FRIDAY), causes: [], settingsVersion: 'builtin-1' }
    const r = await db.transaction(async (tx) => {
      await saveAlert(tx, a, FRIDAY)
      return store.openOrUpgrade(tx, a, FRIDAY)
    })
    const n = await store.applyAction(r!.thread.id, { name: 'notify' }, sms, 'sms sent')
    if (isRefusal(n)) throw new Error(n.message)
    return n.thread
  }

  beforeEach(async () => {
    db = await backend.open()
    store = newStore()
    queued = []
    for (const [dept, role, phone] of [
      ['market', 'duty', PHONE.marketDuty], ['market', 'head', PHONE.marketHead], ['tax', 'head', PHONE.taxHead], ['health', 'head', PHONE.healthHead],
      ['inspection', 'duty', PHONE.inspectionDuty], ['inspection', 'head', PHONE.inspectionHead],
    ] as const) await upsertContact(db, { dept, role, name: '联系人', phone })
  })
  afterEach(async () => {
    await db?.close()
  })

  it("texts a department's head once for all its unanswered threads", async () => {
    const threads = [await notified('market', 'red'), await notified('market'), await notified('market', 'red'), await notified('market'), await notified('market')]
    const fired = await runEscalationOnce(opts(), HEAD)
    expect(fired.map((f) => [f.threadId, f.step])).toEqual(threads.map((t) => [t.id, 'head']))
    await runEscalationOnce(opts(), HEAD + 60_000)
    expect(await texts()).toEqual([{ to: PHONE.marketHead, body: '【电子监察】督办提醒：市场监管局有5条预警超时未确认（红牌2、黄牌3），请登录平台督促处理', dept: 'market' }])
    expect(queued).toEqual((await outboxMessages(db)).map((m) => m.id))
    // the decisions stay per thread: each is marked, escalated and recorded
    for (const t of threads) {
      expect((await store.threadById(t.id))?.escalation).toBe('head')
      expect((await store.history(t.id)).filter((h) => h.action === 'escalate').map((h) => h.detail.step)).toEqual(['head'])
    }
  })

  it('texts each inspector once for the threads of three departments reaching 督办 in one run', async () => {
    await notified('market')
    await notified('market', 'red')
    const tax = await notified('tax')
    await notified('health')
    // down since Friday: head and inspectors both fall due at the first run
    const fired = await runEscalationOnce(opts(), INSPECTORS)
    expect(fired).toHaveLength(8)
    const all = await texts()
    const inspectors = '【电子监察】督办：3个部门共4条预警超时未确认（红牌1、黄牌3），已转纪检监察'
    expect(all.filter((m) => m.body.includes('已转纪检监察'))).toEqual([
      { to: PHONE.inspectionDuty, body: inspectors, dept: null },
      { to: PHONE.inspectionHead, body: inspectors, dept: null },
    ])
    expect(all.filter((m) => m.body.includes('督办提醒')).map((m) => [m.to, m.body])).toEqual([
      [PHONE.marketHead, '【电子监察】督办提醒：市场监管局有2条预警超时未确认（红牌1、黄牌1），请登录平台督促处理'],
      [PHONE.taxHead, `【电子监察】督办提醒：税务局 审批即将到期预警未确认，请督促处理，回复"确认 ${tax.shortCode}"`],
      [PHONE.healthHead, expect.stringMatching(/^【电子监察】督办提醒：卫健委 审批即将到期预警未确认，请督促处理，回复"确认 [A-Z2-9]{6}"$/)],
    ])
    expect(all).toHaveLength(5)
  })

  it('keeps the thread\'s code to reply with in a text about one thread', async () => {
    const t = await notified('market', 'red')
    await runEscalationOnce(opts(), HEAD)
    expect(await texts()).toEqual([
      { to: PHONE.marketHead, body: `【电子监察】督办提醒：市场监管局 审批超期预警未确认，请督促处理，回复"确认 ${t.shortCode}"`, dept: 'market' },
    ])
  })

  it('texts the notices a pass decided but did not compose, exactly once', async () => {
    for (let i = 0; i < 3; i++) await notified('market')
    // a pass that died after deciding: steps fired, notices pending, nothing texted
    expect(await runEscalationOnce(opts({ compose: undefined }), HEAD)).toHaveLength(3)
    expect(await pendingNotices(db)).toHaveLength(3)
    expect(await texts()).toEqual([])
    // the next pass decides nothing new and texts what was left
    expect(await runEscalationOnce(opts(), HEAD + 60_000)).toEqual([])
    await runEscalationOnce(opts(), HEAD + 120_000)
    expect((await texts()).map((m) => [m.to, m.body])).toEqual([[PHONE.marketHead, expect.stringContaining('市场监管局有3条')]])
    expect(await pendingNotices(db)).toEqual([])
  })

  it('keeps the steps of a pass whose compose failed, and texts them at the next pass', async () => {
    for (let i = 0; i < 2; i++) await notified('tax')
    let fail = true
    const flaky = opts()
    const compose = flaky.compose!
    flaky.compose = async (now) => {
      if (fail) {
        fail = false
        throw new Error('database gone')
      }
      return compose(now)
    }
    expect(await runEscalationOnce(flaky, HEAD)).toHaveLength(2)
    expect(await texts()).toEqual([])
    expect(await runEscalationOnce(flaky, HEAD + 60_000)).toEqual([])
    await runEscalationOnce(flaky, HEAD + 120_000)
    expect((await texts()).map((m) => m.to)).toEqual([PHONE.taxHead])
  })

  it('neither repeats nor skips texts across a restart', async () => {
    const tax = await notified('tax')
    for (let i = 0; i < 3; i++) await notified('market')
    const NEVER = '0 0 1 1 *' // only the pass at start, and the ones asked for
    clock.t = HEAD
    const first = startEscalation({ ...opts(), cron: NEVER })
    await first.runEscalationOnce(HEAD + 60_000)
    await first.stop()
    // it died after deciding the inspectors' step, before texting it
    await runEscalationOnce(opts({ compose: undefined }), INSPECTORS)
    expect(await pendingNotices(db)).toHaveLength(4)

    // restart: a fresh store and schedule over the same database
    store = newStore()
    clock.t = INSPECTORS + 60_000
    const second = startEscalation({ ...opts(), cron: NEVER })
    await second.runEscalationOnce(INSPECTORS + 120_000)
    await second.stop()

    const all = await texts()
    expect(all.map((m) => m.to)).toEqual([PHONE.taxHead, PHONE.marketHead, PHONE.inspectionDuty, PHONE.inspectionHead])
    expect(all[0]!.body).toContain(`确认 ${tax.shortCode}`)
    expect(all[1]!.body).toContain('市场监管局有3条')
    expect(all[2]!.body).toBe('【电子监察】督办：2个部门共4条预警超时未确认（黄牌4），已转纪检监察')
    expect(await pendingNotices(db)).toEqual([])
    const steps = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM escalation_steps')
    expect(steps.rows[0]!.n).toBe(8)
  })
})
