import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { alertKey, type Alert, type Level } from '../../common/contract/index.ts'
import type { Db, Queryable } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import type { Logger } from '../../common/log/index.ts'
import { defaultContext } from '../../rules/index.ts'
import { composeAlerts } from '../compose.ts'
import { upsertContact } from '../notify/contactStore.ts'
import { outboxMessages } from '../sms/outbox.ts'
import { saveAlert } from '../store.ts'
import type { Step } from './escalation.ts'
import { deptNames } from '../notify/testing.ts'
import { composeNotices, pendingGroups, pendingNotices, recordNotice, type ComposeOptions } from './notices.ts'
import type { StoredThread, ThreadStore } from './threadStore.ts'

const ctx = defaultContext()
const T = Date.parse('2026-11-23T11:00:00+08:00')
const LISTS = { inspectors: 'inspection', leaders: 'leaders' }
const PHONE = {
  marketDuty: '+8613800000001', marketHead: '+8613800000002', taxHead: '+8613800000003',
  inspectionDuty: '+8613800000004', inspectionHead: '+8613800000005', leadersHead: '+8613800000006',
}

/** recording is a Logger that keeps what it was told. */
function recording(): Logger & { lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = []
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields })
  const log = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log }
  return log
}

describe.each(openTestDbs())('escalation notices on $name', (backend) => {
  let db: Db
  let store: ThreadStore
  let cases = 0
  let queued: number[] = []
  let log: ReturnType<typeof recording>
  const opts = (over: Partial<ComposeOptions> = {}): ComposeOptions => ({ db, lists: LISTS, deptName: deptNames, log, onQueued: (id) => queued.push(id), ...over })

  /** thread opens a thread of dept on a card of the given level. */
  async function thread(dept: string, level: Level = 'yellow', caseId = `N-${++cases}`): Promise<StoredThread> {
    const rule = level === 'red' ? 'approval.overdue' : 'approval.due_soon'
    const a: Alert = { key: alertKey(rule, level, 'approval', caseId), rule, level, kind: 'approval', caseId, dept, at: ctx.zone.format(T), causes: [], settingsVersion: 'builtin-1' }
    return db.transaction(async (tx) => {
      await saveAlert(tx, a, T)
      return (await store.openOrUpgrade(tx, a, T))!.thread
    })
  }
  const notice = (step: Step, t: StoredThread) => db.transaction((tx) => recordNotice(step, t, tx, T))
  const texts = async () => (await outboxMessages(db)).map((m) => ({ ref: m.ref, to: m.recipient, body: m.body, dept: m.dept }))

  beforeAll(async () => {
    db = await backend.open()
    store = composeAlerts({ db, clock: { now: () => T }, ctx }).threads
  })
  beforeEach(async () => {
    await db.query('DELETE FROM escalation_notices')
    await db.query('DELETE FROM sms_outbox')
    await db.query('DELETE FROM contacts')
    for (const [dept, role, phone] of [
      ['market', 'duty', PHONE.marketDuty], ['market', 'head', PHONE.marketHead], ['tax', 'head', PHONE.taxHead],
      ['inspection', 'duty', PHONE.inspectionDuty], ['inspection', 'head', PHONE.inspectionHead], ['leaders', 'head', PHONE.leadersHead],
    ] as const) await upsertContact(db, { dept, role, name: '联系人', phone })
    queued = []
    log = recording()
  })
  afterAll(async () => {
    await db?.close()
  })

  it("records one pending notice per thread and step, naming the rule of the thread's newest card", async () => {
    const t = await thread('market', 'yellow', 'N-UPGRADE')
    const red = await thread('market', 'red', 'N-UPGRADE') // the red card upgrades the yellow thread
    expect(red.id).toBe(t.id)
    await notice('head', red)
    await notice('head', red)
    expect(await pendingNotices(db)).toEqual([
      { id: expect.any(Number), threadId: t.id, step: 'head', dept: 'market', level: 'red', rule: 'approval.overdue', shortCode: t.shortCode, createdAt: T },
    ])
  })

  it('texts the head once per department, and each list once for all departments', async () => {
    const market = [await thread('market'), await thread('market', 'red'), await thread('market')]
    const tax = await thread('tax')
    for (const t of [...market, tax]) await notice('head', t)
    for (const t of [market[0]!, tax]) await notice('inspectors', t)
    await notice('accountability', market[1]!)
    expect(await pendingGroups(db)).toEqual([
      { step: 'head', dept: 'market' }, { step: 'head', dept: 'tax' }, { step: 'inspectors', dept: null }, { step: 'accountability', dept: null },
    ])
    const first = (await pendingNotices(db))[0]!.id

    const composed = await composeNotices(opts(), T)
    expect(composed.map((c) => [c.step, c.dept, c.notices.length, c.ref])).toEqual([
      ['head', 'market', 3, `escalation:head:market:${first}`],
      ['head', 'tax', 1, `escalation:head:tax:${first + 3}`],
      ['inspectors', null, 2, `escalation:inspectors:all:${first + 4}`],
      ['accountability', null, 1, `escalation:accountability:all:${first + 6}`],
    ])
    expect(await texts()).toEqual([
      { ref: `escalation:head:market:${first}`, to: PHONE.marketHead, body: '【电子监察】督办提醒：市场监管局有3条预警超时未确认（红牌1、黄牌2），请登录平台督促处理', dept: 'market' },
      { ref: `escalation:head:tax:${first + 3}`, to: PHONE.taxHead, body: `【电子监察】督办提醒：税务局 审批即将到期预警未确认，请督促处理，回复"确认 ${tax.shortCode}"`, dept: 'tax' },
      { ref: `escalation:inspectors:all:${first + 4}`, to: PHONE.inspectionDuty, body: '【电子监察】督办：2个部门共2条预警超时未确认（黄牌2），已转纪检监察', dept: null },
      { ref: `escalation:inspectors:all:${first + 4}`, to: PHONE.inspectionHead, body: '【电子监察】督办：2个部门共2条预警超时未确认（黄牌2），已转纪检监察', dept: null },
      // a cross-department group of one department is that department's text
      { ref: `escalation:accountability:all:${first + 6}`, to: PHONE.leadersHead, body: '【电子监察】问责提示：市场监管局 审批超期整改逾期，请阅处', dept: 'market' },
    ])
    // the walls are told each row, after it committed
    expect(queued).toEqual((await outboxMessages(db)).map((m) => m.id))
    const marked = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM escalation_notices WHERE composed_at IS NOT NULL AND ref IS NOT NULL')
    expect(marked.rows[0]!.n).toBe(7)
    expect(await composeNotices(opts(), T + 60_000)).toEqual([])
    expect(await texts()).toHaveLength(5)
  })

  it('closes a group nobody can be texted for, with a warning naming the list, and does not retry it', async () => {
    await db.query("DELETE FROM contacts WHERE dept = 'leaders'")
    const t = await thread('market')
    await notice('accountability', t)
    expect(await composeNotices(opts(), T)).toEqual([{ step: 'accountability', dept: null, notices: [expect.any(Number)], ref: null, queued: [] }])
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([{ level: 'warn', msg: 'escalation: nobody to text', fields: { step: 'accountability', list: 'leaders', notices: 1 } }])
    expect(await pendingNotices(db)).toEqual([])
    expect(await texts()).toEqual([])
  })

  it('rolls a group back whole when it fails after queueing, and texts it once next time', async () => {
    const market = [await thread('market'), await thread('market')]
    const tax = await thread('tax')
    for (const t of [...market, tax]) await notice('head', t)
    // the market group dies between queueing its text and marking its notices
    const flaky = failingOnce(db, 'UPDATE escalation_notices')
    expect((await composeNotices(opts({ db: flaky }), T)).map((c) => c.dept)).toEqual(['tax'])
    expect(log.lines.find((l) => l.level === 'error')?.fields).toMatchObject({ step: 'head', dept: 'market', error: 'connection lost' })
    expect((await texts()).map((m) => m.to)).toEqual([PHONE.taxHead])
    expect((await pendingNotices(db)).map((n) => n.threadId)).toEqual(market.map((t) => t.id))

    expect((await composeNotices(opts({ db: flaky }), T + 60_000)).map((c) => c.dept)).toEqual(['market'])
    expect((await texts()).map((m) => m.to)).toEqual([PHONE.taxHead, PHONE.marketHead])
    expect(queued).toEqual((await outboxMessages(db)).map((m) => m.id))
    expect(await pendingNotices(db)).toEqual([])
  })

  it('texts a group once when two composers run at the same time', async () => {
    for (const dept of ['market', 'tax', 'market']) await notice('head', await thread(dept))
    for (let i = 0; i < 3; i++) await notice('inspectors', await thread('tax'))
    const runs = await Promise.all([composeNotices(opts(), T), composeNotices(opts(), T), composeNotices(opts(), T)])
    expect(runs.flat().map((c) => `${c.step}:${c.dept}`).sort()).toEqual(['head:market', 'head:tax', 'inspectors:null'])
    expect((await texts()).map((m) => m.to).sort()).toEqual([PHONE.inspectionDuty, PHONE.inspectionHead, PHONE.marketHead, PHONE.taxHead].sort())
    expect(await pendingNotices(db)).toEqual([])
  })
})

/** failingOnce is db whose transactions throw at the first statement starting with `prefix`, then work. */
function failingOnce(db: Db, prefix: string): Db {
  let failed = false
  const wrap = (tx: Queryable): Queryable => ({
    query: (sql, params) => {
      if (!failed && sql.trimStart().startsWith(prefix)) {
        failed = true
        return Promise.reject(new Error('connection lost'))
      }
      return tx.query(sql, params)
    },
  })
  return { ...db, transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) }
}
