import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Alert, alertKey, type Kind, type Level } from '../../common/contract/index.ts'
import type { Db, Queryable } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { saveAlert, withdrawAlert } from '../store.ts'
import { isRefusal, type Actor, type AttachmentRef } from './states.ts'
import { ThreadStore, type StoredTransition, threadDeadlines } from './threadStore.ts'

const HOUR = 3_600_000
const T0 = Date.parse('2026-11-23T09:30:00+08:00')

const card = (rule: string, level: Level, caseId: string, dept = 'land', kind: Kind | null = 'approval'): Alert => ({
  key: alertKey(rule, level, kind, caseId), rule, level, kind, caseId, dept, at: '2026-11-23T09:00:00+08:00', causes: ['e1'], settingsVersion: 'builtin-1',
})

const sms: Actor = { role: 'system', name: 'sms' }
const land: Actor = { role: 'department', dept: 'land', name: 'zhang' }
const inspector: Actor = { role: 'inspector', name: 'wang' }
const pdf: AttachmentRef = { sha256: 'b'.repeat(64), name: '整改报告.pdf', size: 2048, type: 'application/pdf' }

describe.each(openTestDbs())('ThreadStore on $name', (backend) => {
  let db: Db
  const clock = { t: T0, now() { return this.t } }
  const hooked: StoredTransition[] = []
  let failHook = false
  let store: ThreadStore

  /** raise stores a card and files it, as the alert service does, in one transaction. */
  const raise = (a: Alert, at = clock.t) =>
    db.transaction(async (tx) => ((await saveAlert(tx, a, at)) ? store.openOrUpgrade(tx, a, at) : null))

  beforeAll(async () => {
    db = await backend.open()
    store = new ThreadStore({
      db, clock,
      rectificationDue: (ackAt) => ackAt + 40 * HOUR,
      onTransition: async (tx: Queryable, t) => {
        // The hook shares the transition's transaction: what it reads there is what commits.
        const n = await tx.query('SELECT count(*) AS n FROM alert_transitions WHERE id = $1', [t.id])
        expect(Number(n.rows[0]!.n)).toBe(1)
        if (failHook) throw new Error('audit log down')
        hooked.push(t)
      },
    })
  })
  afterAll(async () => {
    await db?.close()
  })

  it('opens a thread for a card, recorded as a transition by the rules', async () => {
    const r = await raise(card('approval.due_soon', 'yellow', 'A-OPEN'))
    expect(r).toMatchObject({ change: 'opened', thread: { caseKind: 'approval', caseId: 'A-OPEN', family: 'approval.deadline', dept: 'land', level: 'yellow', state: 'raised' } })
    expect(r!.thread.shortCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/)
    expect((await store.threadByCode(` ${r!.thread.shortCode.toLowerCase()} `))?.id).toBe(r!.thread.id)
    expect(await store.threadByCode('../x')).toBeNull()
    expect((await store.threadByAlertKey('approval.due_soon:yellow:approval:A-OPEN'))?.shortCode).toBe(r!.thread.shortCode)
    expect(await store.threadByAlertKey('nope')).toBeNull()
    const h = await store.history(r!.thread.id)
    expect(h).toEqual([expect.objectContaining({ action: 'open', from: null, to: 'raised', actor: { role: 'system', name: 'rules' }, at: T0 })])
    expect(hooked.at(-1)).toEqual(h[0])
  })

  it('gives non-case cards no thread, and files a card only once', async () => {
    const silent = card('source.silent', 'yellow', 'hall', 'ops', null)
    expect(await db.transaction((tx) => store.openOrUpgrade(tx, silent, T0))).toBeNull()
    const a = card('approval.due_soon', 'yellow', 'A-ONCE')
    await raise(a)
    expect((await db.transaction((tx) => store.openOrUpgrade(tx, a, T0)))?.change).toBe('none')
    expect(await store.listThreads({ caseId: 'A-ONCE' }, inspector)).toHaveLength(1)
  })

  it('upgrades the open yellow thread with the red card: one thread, back to raised, fresh acknowledgement needed', async () => {
    const y = await raise(card('approval.due_soon', 'yellow', 'A-UP'))
    const id = y!.thread.id
    await store.applyAction(id, { name: 'notify' }, sms, 'sms sent')
    clock.t += HOUR
    await store.applyAction(id, { name: 'acknowledge' }, land, '收到')
    clock.t += HOUR
    const red = await raise(card('approval.overdue', 'red', 'A-UP'))
    expect(red).toMatchObject({ change: 'upgraded', thread: { id, level: 'red', state: 'raised', ackAt: null, notifiedAt: null } })
    expect(red!.thread.rectificationDueAt).toBe(T0 + HOUR + 40 * HOUR)
    const threads = await store.listThreads({ caseId: 'A-UP' }, inspector)
    expect(threads).toHaveLength(1)
    expect(threads[0]!.alertKeys).toEqual(['approval.due_soon:yellow:approval:A-UP', 'approval.overdue:red:approval:A-UP'])
    const up = (await store.history(id)).at(-1)!
    expect(up).toMatchObject({ action: 'upgrade', from: 'acknowledged', to: 'raised', actor: { role: 'system', name: 'rules' }, detail: { fromLevel: 'yellow', toLevel: 'red' } })
    expect(up.why).toBe('升级为红牌：审批超期，需重新确认')
    // acknowledging again keeps the first rectification deadline
    clock.t += HOUR
    const again = await store.applyAction(id, { name: 'acknowledge' }, land, '')
    expect(!isRefusal(again) && again.thread.rectificationDueAt).toBe(T0 + HOUR + 40 * HOUR)
  })

  it('starts a separate thread for a red card of another family', async () => {
    await raise(card('approval.due_soon', 'yellow', 'A-SEP'))
    await raise(card('approval.fee_mismatch', 'red', 'A-SEP'))
    const fams = (await store.listThreads({ caseId: 'A-SEP' }, inspector)).map((t) => `${t.family}/${t.level}`).sort()
    expect(fams).toEqual(['approval.deadline/yellow', 'approval.fee_mismatch/red'])
  })

  it('pairs the enforcement and petition yellows with their reds', async () => {
    await raise(card('enforcement.due_soon', 'yellow', 'E-1', 'police', 'enforcement'))
    await raise(card('enforcement.overdue', 'red', 'E-1', 'police', 'enforcement'))
    await raise(card('petition.reply_due_soon', 'yellow', 'P-1', 'xinfang', 'petition'))
    await raise(card('petition.reply_overdue', 'red', 'P-1', 'xinfang', 'petition'))
    await raise(card('petition.accept_overdue', 'red', 'P-1', 'xinfang', 'petition'))
    expect((await store.listThreads({ caseId: 'E-1' }, inspector)).map((t) => t.level)).toEqual(['red'])
    expect((await store.listThreads({ caseId: 'P-1' }, inspector)).map((t) => t.family).sort()).toEqual(['petition.accept_overdue', 'petition.reply'])
  })

  it('goes round the whole loop, recording who, when and why at every step', async () => {
    clock.t = T0
    const id = (await raise(card('approval.due_soon', 'yellow', 'A-LOOP')))!.thread.id
    const steps: Array<[Parameters<ThreadStore['applyAction']>[1], Actor, string]> = [
      [{ name: 'notify' }, sms, '短信已发送'],
      [{ name: 'acknowledge' }, land, '已收到，马上整改'],
      [{ name: 'submit_rectification', text: '已补办审批手续并完成整改', attachments: [pdf] }, land, ''],
      [{ name: 'return' }, inspector, '缺少现场照片'],
      [{ name: 'submit_rectification', text: '已补充现场照片，请审核', attachments: [pdf, { ...pdf, sha256: 'c'.repeat(64), name: 'photo.png', type: 'image/png' }] }, land, '补充材料'],
      [{ name: 'approve' }, inspector, '整改到位'],
    ]
    for (const [action, actor, why] of steps) {
      clock.t += HOUR
      const r = await store.applyAction(id, action, actor, why, action.name === 'notify' ? { messageId: 'SM123' } : {})
      if (isRefusal(r)) throw new Error(r.message)
    }
    const h = await store.history(id)
    expect(h.map((t) => [t.action, t.from, t.to, t.actor.name, t.at - T0, t.why])).toEqual([
      ['open', null, 'raised', 'rules', 0, '黄牌：审批即将到期'],
      ['notify', 'raised', 'notified', 'sms', HOUR, '短信已发送'],
      ['acknowledge', 'notified', 'acknowledged', 'zhang', 2 * HOUR, '已收到，马上整改'],
      ['submit_rectification', 'acknowledged', 'rectification_submitted', 'zhang', 3 * HOUR, ''],
      ['return', 'rectification_submitted', 'returned', 'wang', 4 * HOUR, '缺少现场照片'],
      ['submit_rectification', 'returned', 'rectification_submitted', 'zhang', 5 * HOUR, '补充材料'],
      ['approve', 'rectification_submitted', 'approved', 'wang', 6 * HOUR, '整改到位'],
    ])
    expect(h[1]!.detail).toEqual({ messageId: 'SM123' })
    expect(h[2]!.actor).toEqual(land)
    const t = await store.threadById(id)
    expect(t).toMatchObject({ state: 'approved', notifiedAt: T0 + HOUR, ackAt: T0 + 2 * HOUR, rectificationDueAt: T0 + 42 * HOUR, closedAt: T0 + 6 * HOUR })
    const rs = await store.rectifications(id)
    expect(rs.map((r) => [r.text, r.attachments.length, r.submittedBy, r.submittedAt - T0])).toEqual([
      ['已补办审批手续并完成整改', 1, 'zhang', 3 * HOUR],
      ['已补充现场照片，请审核', 2, 'zhang', 5 * HOUR],
    ])
    expect(rs[0]!.attachments[0]).toEqual(pdf)
    // a new card of the family after closing opens a new thread
    expect((await raise(card('approval.overdue', 'red', 'A-LOOP')))?.change).toBe('opened')
  })

  it('refuses without writing anything', async () => {
    const id = (await raise(card('approval.due_soon', 'yellow', 'A-REF')))!.thread.id
    const before = await store.history(id)
    const r = await store.applyAction(id, { name: 'acknowledge' }, { role: 'department', dept: 'water', name: 'li' }, '')
    expect(isRefusal(r) && r.refused).toBe('wrong_dept')
    expect(await store.applyAction(id, { name: 'approve' }, { role: 'leader', name: 'zhao' }, '')).toMatchObject({ refused: 'wrong_role' })
    expect(await store.applyAction(999_999, { name: 'notify' }, sms, '')).toMatchObject({ refused: 'not_found' })
    expect(await store.history(id)).toEqual(before)
    expect((await store.threadById(id))?.state).toBe('raised')
  })

  it('rolls the transition back when the hook fails', async () => {
    const id = (await raise(card('approval.due_soon', 'yellow', 'A-HOOK')))!.thread.id
    failHook = true
    try {
      await expect(store.applyAction(id, { name: 'notify' }, sms, '')).rejects.toThrow('audit log down')
    } finally {
      failHook = false
    }
    expect((await store.threadById(id))?.state).toBe('raised')
    expect((await store.history(id)).map((t) => t.action)).toEqual(['open'])
  })

  it('withdraws the thread with its only card, and only the card when another still stands', async () => {
    const y = card('approval.due_soon', 'yellow', 'A-WD')
    const id = (await raise(y))!.thread.id
    await db.transaction(async (tx) => {
      await withdrawAlert(tx, y, 'late-event-1', clock.t)
      await store.withdrawCard(tx, y.key, 'late-event-1', clock.t)
    })
    expect(await store.threadById(id)).toMatchObject({ state: 'withdrawn', closedAt: clock.t })
    expect((await store.history(id)).at(-1)).toMatchObject({ action: 'withdraw', to: 'withdrawn', actor: { role: 'system', name: 'late-event-1' }, why: '撤销黄牌：审批即将到期（后到事件更正）' })

    const y2 = card('approval.due_soon', 'yellow', 'A-WD2')
    const r2 = card('approval.overdue', 'red', 'A-WD2')
    const id2 = (await raise(y2))!.thread.id
    await raise(r2)
    await store.applyAction(id2, { name: 'acknowledge' }, land, '')
    await db.transaction(async (tx) => {
      await withdrawAlert(tx, r2, 'late-event-2', clock.t)
      await store.withdrawCard(tx, r2.key, 'late-event-2', clock.t)
    })
    expect(await store.threadById(id2)).toMatchObject({ state: 'acknowledged', level: 'yellow', alertKeys: [y2.key], closedAt: null })
    expect(await db.transaction((tx) => store.withdrawCard(tx, 'no-such-key', 'x', clock.t))).toBeNull()
  })

  it('lists only a department its own threads, filtered and bounded', async () => {
    await raise(card('approval.due_soon', 'yellow', 'A-W1', 'water'))
    await raise(card('approval.overdue', 'red', 'A-W2', 'water'))
    const water = await store.listThreads({}, { role: 'department', dept: 'water' })
    expect(water.map((t) => t.caseId).sort()).toEqual(['A-W1', 'A-W2'])
    expect(await store.listThreads({ dept: 'land' }, { role: 'department', dept: 'water' })).toEqual([])
    expect(await store.listThreads({}, { role: 'department' })).toEqual([])
    expect((await store.listThreads({ level: 'red' }, { role: 'department', dept: 'water' })).map((t) => t.caseId)).toEqual(['A-W2'])
    expect((await store.listThreads({ dept: 'water', state: ['raised'], open: true }, { role: 'leader' })).length).toBe(2)
    expect((await store.listThreads({ open: false }, inspector)).every((t) => t.closedAt !== null)).toBe(true)
    expect(await store.listThreads({ limit: 1 }, inspector)).toHaveLength(1)
  })

  it('gives the kpi the deadlines of each thread: those changed since an instant, and every open one', async () => {
    const { id } = (await raise(card('approval.overdue', 'red', 'KPI-1', 'kpi-dept')))!.thread
    await store.applyAction(id, { name: 'notify' }, sms, '')
    clock.t += HOUR
    await store.applyAction(id, { name: 'acknowledge' }, { role: 'department', dept: 'kpi-dept', name: 'zhao' }, '收到')
    const mine = (await threadDeadlines(db, clock.t + 10 * HOUR)).find((t) => t.id === id)
    // Open, so listed even though it did not change since then.
    expect(mine).toMatchObject({ dept: 'kpi-dept', state: 'acknowledged', notifiedAt: clock.t - HOUR, ackAt: clock.t, rectificationDueAt: clock.t + 40 * HOUR, approvedAt: null })
    expect((await threadDeadlines(db, 0)).length).toBeGreaterThanOrEqual((await threadDeadlines(db, clock.t + 10 * HOUR)).length)
  })
})
