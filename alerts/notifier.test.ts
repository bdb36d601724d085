/**
 * The supervision loop on real services: a card → one SMS per contact through the
 * official Twilio SDK to the fake Twilio → a signed delivery report → delivered; a
 * contact's reply "确认 <code>" → the thread is acknowledged; signed-in walls see the
 * message's progress live, each department only its own.
 */
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseEvent, SmsView } from '../common/contract/index.ts'
import { loadConfig } from '../common/config/index.ts'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { logger } from '../common/log/index.ts'
import { startPlatform, type Platform } from '../bin/platform.ts'
import { startFakeTwilio, type FakeTwilio } from '../demo/index.ts'
import { ManualClock, post, signInAs, startTestServer, TOKEN, waitFor } from '../test-support/platform.ts'
import { verifyAudit } from '../common/audit/index.ts'
import { upsertContact } from './notify/contactStore.ts'
import { INBOUND_PATH, STATUS_PATH } from './sms/webhooks.ts'

const DUTY = '+8613800001111'
const HEAD = '+8613800002222'

describe.each(openTestDbs())('quiet hours and grouping on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let twilio: FakeTwilio
  let platform: Platform
  const clock = new ManualClock(Date.parse('2026-11-24T23:00:00+08:00')) // Tuesday night: quiet hours

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('quiet')
    twilio = await startFakeTwilio()
    await upsertContact(db, { dept: 'tax', role: 'duty', name: '值班员', phone: DUTY })
    await upsertContact(db, { dept: 'tax', role: 'head', name: '局长', phone: HEAD })
    const cfg = loadConfig({
      env: {},
      overrides: { natsUrl: nats.url, collectorPort: 0, alertsPort: 0, rulesPort: 0, tickMs: 50, settleMs: 100, sources: [{ name: 'hall', token: TOKEN }], smsProvider: 'fake', twilioBaseUrl: twilio.url, logLevel: 'warn' },
    })
    platform = await startPlatform(cfg, new Set(['collector', 'rules', 'alerts']), logger('test'), { db, clock })
  })

  afterAll(async () => {
    await platform?.stop()
    await twilio?.close()
    await nats?.dispose()
    await db?.close()
  })

  const rejected = (n: number): CaseEvent => ({ id: `r${n}`, source: 'hall', kind: 'approval', type: 'rejected', caseId: `R-${n}`, dept: 'tax', at: '2026-11-24T22:30:00+08:00', attrs: { reason: '' } })
  const cards = async () => Number((await db.query<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE dept = 'tax'")).rows[0]!.n)

  it('keeps yellow cards for the morning and sends them as one digest to the duty contact', async () => {
    await post(platform, [rejected(1), rejected(2), rejected(3)]) // three 不予受理无理由 yellow cards at night
    await waitFor(async () => (await cards()) === 3, 'three yellow cards stored')
    await new Promise((r) => setTimeout(r, 2500))
    expect(twilio.messages).toEqual([]) // quiet hours: nothing at night
    clock.set('2026-11-25T07:00:30+08:00')
    await waitFor(() => twilio.messages.length >= 1, 'the morning digest', 20_000)
    await new Promise((r) => setTimeout(r, 1000))
    // one SMS for the three cards (grouped), to the duty contact only (yellow)
    expect(twilio.messages.map((m) => m.to)).toEqual([DUTY])
    expect(twilio.messages[0]!.body).toContain('新增黄牌3张')
  })
})

describe.each(openTestDbs())('the SMS loop on $name', (backend) => {
  let db: Db
  let nats: Awaited<ReturnType<typeof startTestServer>>
  let twilio: FakeTwilio
  let platform: Platform
  const clock = new ManualClock(Date.parse('2026-11-24T10:00:00+08:00')) // a Tuesday morning, outside quiet hours
  // What signed-in walls receive over Socket.IO: the leader's (every department) and another department's.
  const seen = { leader: [] as SmsView[], health: [] as SmsView[] }
  const sockets: Socket[] = []

  beforeAll(async () => {
    db = await backend.open()
    nats = await startTestServer('sms')
    twilio = await startFakeTwilio()
    await upsertContact(db, { dept: 'market', role: 'duty', name: '值班员', phone: DUTY })
    await upsertContact(db, { dept: 'market', role: 'head', name: '局长', phone: HEAD })
    const cfg = loadConfig({
      env: {},
      overrides: {
        natsUrl: nats.url, collectorPort: 0, alertsPort: 0, rulesPort: 0, tickMs: 50, settleMs: 100, sources: [{ name: 'hall', token: TOKEN }],
        smsProvider: 'fake', twilioBaseUrl: twilio.url, logLevel: 'warn',
      },
    })
    platform = await startPlatform(cfg, new Set(['collector', 'rules', 'alerts', 'dashboard']), logger('test'), { db, clock })
    for (const [who, user] of [['leader', undefined], ['health', { username: 'health-desk', role: 'department', dept: 'health' }]] as const) {
      const s = io(platform.dashboardUrl!, { transports: ['websocket'], extraHeaders: { cookie: await signInAs(platform, db, user) } })
      s.on('sms', (m: SmsView) => seen[who].push(m))
      sockets.push(s)
    }
    await waitFor(() => sockets.every((s) => s.connected), 'walls connected')
  })

  afterAll(async () => {
    for (const s of sockets) s.close()
    await platform?.stop()
    await twilio?.close()
    await nats?.dispose()
    await db?.close()
  })

  it('texts each contact once, records delivery, and takes 确认 <code> as the acknowledgement', async () => {
    const completed: CaseEvent = { id: 'x1', source: 'hall', kind: 'approval', type: 'completed', caseId: 'A-9', dept: 'market', at: '2026-11-24T09:00:00+08:00' }
    await post(platform, completed)
    await waitFor(() => twilio.messages.length >= 2, 'two texts (a red card goes to duty and head)')
    await new Promise((r) => setTimeout(r, 500))
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([DUTY, HEAD])
    const text = twilio.messages[0]!
    expect(text.body).toMatch(/^【电子监察】红牌：.*程序异常.*确认 [A-Z2-9]{4,6}/)
    expect(text.body).not.toMatch(/\+?86?1[3-9]\d{9}/)
    // the fake Twilio calls the alerts server back, the address PUBLIC_BASE_URL defaults to for it
    expect(text.statusCallback).toContain(`${platform.alertsUrl}${STATUS_PATH}?outbox=`)

    // Twilio reports delivery, signed; the report is checked and recorded
    expect(await twilio.deliver(text.sid)).toEqual([204, 204])
    await waitFor(async () => (await db.query<{ status: string }>('SELECT status FROM sms_outbox WHERE twilio_sid = $1', [text.sid])).rows[0]?.status === 'delivered', 'delivered')
    const forged = await fetch(`${platform.alertsUrl}${STATUS_PATH}?outbox=1`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bad' }, body: 'MessageStatus=failed' })
    expect(forged.status).toBe(403)
    // the wall saw the message go out and arrive, number masked; another department saw nothing
    await waitFor(() => seen.leader.some((m) => m.status === 'delivered' && m.body === text.body), 'delivery on the wall')
    expect(seen.leader.filter((m) => m.body === text.body).map((m) => m.status)).toContain('sent')
    expect(seen.leader.every((m) => m.dept === 'market' && /^138\*{4}\d{4}$/.test(m.to))).toBe(true)
    expect(seen.health).toEqual([])

    // a stranger cannot acknowledge; the duty contact can, by the code in the text
    const code = /确认 ([A-Z2-9]+)/.exec(text.body)![1]!
    const stranger = await twilio.sendInbound({ from: '+8613900009999', body: `确认 ${code}`, url: `${platform.alertsUrl}${INBOUND_PATH}` })
    expect(stranger.status).toBe(200)
    const state = async () => (await db.query<{ state: string }>("SELECT state FROM alert_threads WHERE case_id = 'A-9'")).rows[0]?.state
    expect(await state()).toBe('notified')
    const reply = await twilio.sendInbound({ from: DUTY, body: `确认 ${code}`, url: `${platform.alertsUrl}${INBOUND_PATH}` })
    expect(reply.contentType).toMatch(/xml/)
    expect(reply.body).toContain('<Response>')
    expect(await state()).toBe('acknowledged')
    const who = await db.query<{ actor: string; at: Date }>("SELECT actor, at FROM alert_transitions WHERE action = 'acknowledge'")
    expect(who.rows[0]?.actor).toBe(`sms:${DUTY}`)
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })
})
