import { describe, expect, it } from 'vitest'
import { department, DEPARTMENTS } from '../../demo/index.ts'
import type { Level } from '../../common/contract/index.ts'
import type { OutboxEntry } from './outbox.ts'
import { Dispatcher, notifySettings, type IncomingCard, type NotifySettings } from './pipeline.ts'
import type { DeptContacts } from './route.ts'
import type { Silence } from './silences.ts'
import { MAX_DIGEST, MAX_SINGLE, RULE_LABELS } from './text.ts'
import { at, card, DUTY, HEAD, silentLog, VirtualClock, type CardFields } from './testing.ts'

const MARKET: DeptContacts = { duty: { name: DUTY.name, phone: DUTY.phone }, head: { name: HEAD.name, phone: HEAD.phone } }
const HOUSING: DeptContacts = { duty: { name: '周值班', phone: '+8613700137000' } }

interface WorldOptions {
  contacts?: Record<string, DeptContacts>
  silences?: Silence[]
  settings?: Partial<NotifySettings>
  failEnqueue?: (e: OutboxEntry) => boolean
  failSilences?: () => boolean
  start?: number
}

/** world is a dispatcher on in-memory collaborators and a virtual clock. */
function world(o: WorldOptions = {}) {
  const clock = new VirtualClock(o.start ?? at('2026-11-10 09:00'))
  const notified = new Set<string>()
  const outbox: OutboxEntry[] = []
  const contacts = o.contacts ?? { market: MARKET, housing: HOUSING }
  const d = new Dispatcher({
    clock,
    log: silentLog,
    settings: o.settings,
    notifiedKeys: async (keys) => new Set(keys.filter((k) => notified.has(k))),
    activeSilences: async (now) => {
      if (o.failSilences?.()) throw new Error('database unavailable')
      return (o.silences ?? []).filter((s) => s.startsAt <= now && now < s.endsAt)
    },
    contacts: (dept) => contacts[dept] ?? {},
    // The demo city's names, as the registry holds them once the demo has seeded it.
    deptName: (code) => department(code)?.name['zh-CN'],
    enqueue: async (e, covers) => {
      if (o.failEnqueue?.(e)) throw new Error('outbox unavailable')
      outbox.push(e)
      for (const k of covers) notified.add(k)
    },
  })
  const push = (t: string | number, ...cards: IncomingCard[]) => {
    clock.set(typeof t === 'number' ? t : at(t))
    return d.push(cards)
  }
  /** runUntil moves virtual time to t, ticking at every instant something comes due. */
  const runUntil = async (t: string | number) => {
    const end = typeof t === 'number' ? t : at(t)
    for (let next = d.nextWakeAt(); next !== undefined && next <= end; next = d.nextWakeAt()) {
      clock.set(Math.max(next, clock.now()))
      await d.tick()
    }
    clock.set(end)
  }
  return { clock, d, outbox, notified, push, runUntil }
}

const yellow = (caseId: string, f: CardFields = {}) => card({ level: 'yellow', caseId, ...f })
const red = (caseId: string, f: CardFields = {}) => card({ level: 'red', caseId, ...f })
const to = (outbox: OutboxEntry[], phone: string) => outbox.filter((e) => e.recipient === phone)

describe('Dispatcher: quiet hours', () => {
  it('holds the night’s yellows until 07:00 and sends them then as one digest per recipient', async () => {
    const w = world({ settings: { routes: [{ dept: 'market', level: 'yellow', to: ['duty', 'head'] }] } })
    const first = await w.push('2026-11-10 23:00', yellow('A-1'))
    expect(first.sent).toEqual([])
    expect(first.decisions).toMatchObject([{ reason: 'quiet_hours', action: 'defer', until: at('2026-11-11 07:00') }])
    await w.push('2026-11-10 23:40', yellow('A-2'))
    await w.push('2026-11-11 02:00', yellow('A-3'), yellow('H-1', { dept: 'housing' }))
    await w.runUntil('2026-11-11 06:59:59')
    expect(w.outbox).toEqual([])
    await w.runUntil('2026-11-11 07:00')
    expect(w.outbox).toHaveLength(3)
    for (const phone of [DUTY.phone, HEAD.phone]) {
      const [e, ...more] = to(w.outbox, phone)
      expect(more).toEqual([])
      expect(e!.ref).toMatch(/^digest:market:/)
      expect(e!.body).toMatch(/^【电子监察】市场监管局：新增黄牌3张，详见工作台，回复"确认 [2-9A-HJ-NP-Z]{4}"确认全部$/)
    }
    expect(to(w.outbox, '+8613700137000')).toMatchObject([{ ref: yellow('H-1', { dept: 'housing' }).key, body: expect.stringContaining('黄牌：住建局 审批即将到期 H-1') }])
    expect(w.d.nextWakeAt()).toBeUndefined()
  })

  it('sends a red card at 23:00 at once, to the duty contact and the head', async () => {
    const w = world()
    const r = await w.push('2026-11-10 23:00', red('A-0001'))
    expect(r.sent.map((e) => e.recipient)).toEqual([DUTY.phone, HEAD.phone])
    for (const e of r.sent) {
      expect(e.ref).toBe(red('A-0001').key)
      expect(e.body).toMatch(/^【电子监察】红牌：市场监管局 审批超期 A-0001，请回复"确认 [2-9A-HJ-NP-Z]{4}"$/)
    }
  })

  it('drops in the morning a yellow whose case went red in the night', async () => {
    const w = world()
    await w.push('2026-11-10 23:00', yellow('A-9'))
    await w.push('2026-11-11 01:00', red('A-9'))
    expect(w.outbox).toHaveLength(2)
    await w.runUntil('2026-11-11 08:00')
    expect(w.outbox).toHaveLength(2)
    expect(w.d.recentDecisions().at(-1)).toMatchObject({ key: yellow('A-9').key, reason: 'superseded', action: 'drop' })
  })

  it('forgets a held card that is withdrawn before the morning', async () => {
    const w = world()
    await w.push('2026-11-10 23:00', yellow('A-1'))
    const r = await w.push('2026-11-11 03:00', { ...yellow('A-1'), withdrawn: { by: 'e9' } })
    expect(r.decisions).toMatchObject([{ reason: 'withdrawn', action: 'drop' }])
    await w.runUntil('2026-11-11 08:00')
    expect(w.outbox).toEqual([])
  })
})

describe('Dispatcher: grouping', () => {
  it('turns 3 yellows of one department within 60 s into one SMS', async () => {
    const w = world()
    await w.push('2026-11-10 10:00:00', yellow('A-1'))
    await w.push('2026-11-10 10:00:20', yellow('A-2'))
    await w.push('2026-11-10 10:00:50', yellow('A-3'))
    await w.runUntil('2026-11-10 10:00:59')
    expect(w.outbox).toEqual([])
    await w.runUntil('2026-11-10 10:01:00')
    expect(w.outbox).toHaveLength(1)
    expect(w.outbox[0]).toMatchObject({ recipient: DUTY.phone, body: expect.stringContaining('市场监管局：新增黄牌3张') })
  })

  it('sends a red card at once with the yellows its group holds', async () => {
    const w = world()
    await w.push('2026-11-10 10:00:00', yellow('A-1'), yellow('A-2'))
    const r = await w.push('2026-11-10 10:00:10', red('B-1'))
    expect(to(r.sent, DUTY.phone)).toMatchObject([{ body: expect.stringContaining('新增红牌1张、黄牌2张') }])
    expect(to(r.sent, HEAD.phone)).toMatchObject([{ body: expect.stringContaining('红牌：市场监管局 审批超期 B-1') }])
  })

  it('takes the group wait and interval from the settings', async () => {
    const w = world({ settings: { groupWaitMs: 5_000 } })
    await w.push('2026-11-10 10:00:00', yellow('A-1'))
    await w.runUntil('2026-11-10 10:00:05')
    expect(w.outbox).toHaveLength(1)
  })
})

describe('Dispatcher: dedup and upgrades', () => {
  it('texts a card once however often it is delivered, and a red card on it as an upgrade', async () => {
    const w = world()
    await w.push('2026-11-10 10:00', yellow('A-1'))
    const again = await w.push('2026-11-10 10:00:30', yellow('A-1'))
    expect(again.decisions).toMatchObject([{ reason: 'duplicate' }])
    await w.runUntil('2026-11-10 10:05')
    expect(w.outbox).toHaveLength(1)
    const up = await w.push('2026-11-10 11:00', red('A-1'))
    expect(up.decisions).toMatchObject([{ reason: 'upgrade', action: 'keep' }])
    expect(up.sent).toHaveLength(2)
    expect((await w.push('2026-11-10 11:01', yellow('A-1'))).decisions).toMatchObject([{ reason: 'duplicate' }])
  })

  it('sends one SMS when the same card is pushed twice at once', async () => {
    const w = world()
    await Promise.all([w.push('2026-11-10 10:00', red('A-1')), w.d.push([red('A-1')])])
    expect(w.outbox).toHaveLength(2)
  })
})

describe('Dispatcher: silences and reports', () => {
  it('drops the notices of a silenced rule with the silence recorded', async () => {
    const silence: Silence = {
      id: '17', rule: 'approval.due_soon', dept: null, startsAt: at('2026-11-10 08:00'), endsAt: at('2026-11-10 12:00'),
      reason: '系统割接', createdBy: 'wang', createdAt: 0,
    }
    const w = world({ silences: [silence] })
    const r = await w.push('2026-11-10 10:00', yellow('A-1'), red('A-2'))
    expect(r.decisions).toMatchObject([{ key: yellow('A-1').key, stage: 'silences', action: 'drop', reason: 'silenced', silenceId: '17' }])
    expect(r.sent).toHaveLength(2)
    await w.runUntil('2026-11-10 11:00')
    expect(w.outbox.every((e) => e.ref === red('A-2').key)).toBe(true)
  })

  it('reports a department without contacts instead of losing its card', async () => {
    const w = world()
    const r = await w.push('2026-11-10 10:00', red('T-1', { dept: 'tax' }))
    expect(r.sent).toEqual([])
    expect(r.unrouted.map((n) => n.alert.key)).toEqual([red('T-1').key.replace('A-0001', 'T-1')])
    expect(r.decisions).toMatchObject([
      { dept: 'tax', reason: 'no_contact', role: 'duty' },
      { dept: 'tax', reason: 'no_contact', role: 'head' },
    ])
    expect(w.d.recentDecisions().filter((x) => x.reason === 'no_contact')).toHaveLength(2)
  })

  it('keeps a bounded list of recent decisions', async () => {
    const w = world({ settings: { maxDecisions: 3 } })
    for (let i = 0; i < 5; i++) await w.push('2026-11-10 10:00', red(`T-${i}`, { dept: 'tax' }))
    expect(w.d.recentDecisions().map((x) => x.key)).toEqual([red('T-3').key, red('T-4').key, red('T-4').key])
  })
})

describe('Dispatcher: failures', () => {
  it('tries a message again after retryMs when the outbox refuses it', async () => {
    let failing = true
    const w = world({ failEnqueue: () => failing })
    const r = await w.push('2026-11-10 10:00', red('A-1'))
    expect(r.decisions.filter((x) => x.reason === 'enqueue_failed')).toHaveLength(2)
    failing = false
    await w.runUntil('2026-11-10 10:00:29')
    expect(w.outbox).toEqual([])
    await w.runUntil('2026-11-10 10:00:30')
    expect(w.outbox.map((e) => e.recipient)).toEqual([DUTY.phone, HEAD.phone])
  })

  it('retries only the recipient whose message failed', async () => {
    let failing = true
    const w = world({ failEnqueue: (e) => failing && e.recipient === HEAD.phone })
    await w.push('2026-11-10 10:00', red('A-1'))
    failing = false
    await w.runUntil('2026-11-10 10:01')
    expect(w.outbox.map((e) => e.recipient)).toEqual([DUTY.phone, HEAD.phone])
  })

  it('runs the cards again when a stage fails, e.g. the silences cannot be read', async () => {
    let failing = true
    const w = world({ failSilences: () => failing })
    const r = await w.push('2026-11-10 10:00', red('A-1'))
    expect(r.decisions).toMatchObject([{ reason: 'stage_failed', action: 'defer' }])
    failing = false
    await w.runUntil('2026-11-10 10:00:30')
    expect(w.outbox).toHaveLength(2)
  })
})

describe('notifySettings', () => {
  it('checks what it is given', () => {
    expect(notifySettings().quietHours).toEqual({ start: '22:00', end: '07:00' })
    expect(() => notifySettings({ groupWaitMs: -1 })).toThrow('groupWaitMs')
    expect(() => notifySettings({ quietHours: { start: '25:00', end: '07:00' } })).toThrow('quiet hours')
    expect(() => notifySettings({ zone: 'Mars/Base' })).toThrow('unknown time zone')
    expect(() => notifySettings({ routes: [{ to: ['boss' as 'duty'] }] })).toThrow('notify: routes[0].to')
  })
})

// ---- property: no personal data in any SMS ----

function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIXED_TEXT = [...Object.values(RULE_LABELS), ...DEPARTMENTS.map((d) => d.name['zh-CN']), '【电子监察】红牌黄牌：新增、张，详见工作台，回复"确认全部请…预警相关部门'].join('')
const SURNAMES = [...'张王李赵刘陈杨周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾']
// Given-name characters that no fixed text uses, so a name can only reach a body through a leak.
const GIVEN = [...'伟芳娜敏静丽强磊洋艳勇军杰娟涛明秀霞平刚桂英华玉兰萍鹏辉'].filter((c) => !FIXED_TEXT.includes(c))

describe('SMS bodies carry no personal data (property)', () => {
  it('never contain a phone, a name or an id number from the case data, a note or the contacts', async () => {
    let bodies = 0
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed)
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
      const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('')
      const name = () => pick(SURNAMES) + pick(GIVEN) + (r() < 0.5 ? pick(GIVEN) : '')
      const mobile = () => `1${pick([3, 4, 5, 6, 7, 8, 9])}${digits(9)}`
      const idNumber = () => `${digits(6)}19${digits(2)}${digits(6)}${pick([...'0123456789X'])}`
      const secrets: string[] = []
      const secret = <T extends string>(s: T): T => (secrets.push(s), s)

      const contacts: Record<string, DeptContacts> = {}
      for (const d of DEPARTMENTS.slice(0, 8)) {
        contacts[d.code] = { duty: { name: secret(name()), phone: `+86${secret(mobile())}` } }
        if (r() < 0.7) contacts[d.code]!.head = { name: secret(name()), phone: `+86${secret(mobile())}` }
      }
      const w = world({ contacts, start: at('2026-11-10 00:00') })
      const rules = [...Object.keys(RULE_LABELS), 'custom.night_fee']
      let t = at('2026-11-10 00:00')
      for (let i = 0; i < 60; i++) {
        t += Math.floor(r() * 40 * 60_000)
        const phone = secret(mobile())
        const who = secret(name())
        const idn = secret(idNumber())
        const shown = pick([phone, `+86${phone}`, `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`])
        const caseId = pick([`A-${digits(4)}`, `SIM-E-${digits(3)}`, shown, `${who}案`, idn, `X-${phone}`])
        const dept = r() < 0.9 ? pick(DEPARTMENTS).code : pick([who, phone, 'district9'])
        const level: Level = r() < 0.4 ? 'red' : 'yellow'
        const c: IncomingCard = {
          ...card({ rule: pick(rules), level, caseId, dept, kind: pick(['approval', 'enforcement', 'petition', 'supervision'] as const) }),
          caseData: { applicant: who, phone: shown, idNumber: idn, address: `${who}家` },
          ...(r() < 0.2 ? { note: { reason: `${who}反映问题`, by: secret(name()) } } : {}),
        }
        await w.push(t, c)
        await w.runUntil(t)
      }
      await w.runUntil(t + 86_400_000)
      const leaks = w.outbox.flatMap((e) => secrets.filter((s) => e.body.includes(s)).map((s) => `seed ${seed}: ${s} in ${e.body}`))
      expect(leaks).toEqual([])
      const numbers = w.outbox.filter((e) => /\d{7}|\d(?:[-._/]?\d){10}/.test(e.body))
      expect(numbers).toEqual([])
      const long = w.outbox.filter((e) => e.body.length > (e.body.endsWith('确认全部') ? MAX_DIGEST : MAX_SINGLE))
      expect(long).toEqual([])
      bodies += w.outbox.length
    }
    expect(bodies).toBeGreaterThan(300)
  })
})
