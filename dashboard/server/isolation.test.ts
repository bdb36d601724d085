// Department isolation, end to end: one department's user must not see another's card
// by list, by key, through the case's events or live over Socket.IO.
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredAlert } from '../../alerts/index.ts'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { insertAlert } from '../../alerts/testing.ts'
import { createUser, dropEndedSessions, emitAlert, roomsFor } from '../../accounts/index.ts'
import { getAs, postJson } from '../../accounts/testdata/server.ts'
import { type DataServer, insertEvent, startDataServer } from './testdata/dataServer.ts'

const PW = 'the right password'
const HEALTH_CARD = 'petition.overdue:red:petition:P-H'
const TRANSPORT_CARD = 'petition.overdue:red:petition:P-T'

describe.each(openTestDbs())('department isolation on $name', ({ open }) => {
  let db: Db
  let srv: DataServer
  const cookie: Record<'health' | 'transport' | 'inspector', string> = { health: '', transport: '', inspector: '' }
  const sockets: Socket[] = []

  beforeAll(async () => {
    db = await open()
    srv = await startDataServer(db)
    await createUser(db, { username: 'health-desk', password: PW, role: 'department', dept: 'health' })
    await createUser(db, { username: 'transport-desk', password: PW, role: 'department', dept: 'transport' })
    await createUser(db, { username: 'wang', password: PW, role: 'inspector', canUnmask: true })
    cookie.health = await srv.cookieOf('health-desk', PW)
    cookie.transport = await srv.cookieOf('transport-desk', PW)
    cookie.inspector = await srv.cookieOf('wang', PW)
    await insertAlert(db, { key: HEALTH_CARD, caseId: 'P-H', dept: 'health', at: '2026-03-02T01:00:00Z' })
    await insertAlert(db, { key: TRANSPORT_CARD, caseId: 'P-T', dept: 'transport', at: '2026-03-02T02:00:00Z' })
    for (const [caseId, dept] of [['P-H', 'health'], ['P-T', 'transport']]) {
      await insertEvent(db, {
        id: `reg-${caseId}`, kind: 'petition', type: 'registered', caseId: caseId!, dept: dept!, at: '2026-03-01T01:00:00Z',
        attrs: { petitionerId: `p-${caseId}`, petitionerName: '李四', phone: '13900001111' },
      })
    }
  })
  afterAll(async () => {
    for (const s of sockets) s.disconnect()
    await srv?.close()
    await db?.close()
  })

  const listKeys = async (who: keyof typeof cookie, query = '') => {
    const r = await getAs(srv.base, `/api/v1/alerts${query}`, cookie[who])
    return { status: r.status, keys: r.status === 200 ? ((await r.json()) as { alerts: StoredAlert[] }).alerts.map((a) => a.key) : [] }
  }

  it('lists only the department\'s own cards', async () => {
    expect(await listKeys('health')).toEqual({ status: 200, keys: [HEALTH_CARD] })
    expect(await listKeys('transport')).toEqual({ status: 200, keys: [TRANSPORT_CARD] })
    expect(await listKeys('health', '?dept=health')).toEqual({ status: 200, keys: [HEALTH_CARD] })
    expect(await listKeys('inspector')).toEqual({ status: 200, keys: [TRANSPORT_CARD, HEALTH_CARD] })
  })

  it('answers 403 when a department asks for another department by name', async () => {
    expect((await listKeys('health', '?dept=transport')).status).toBe(403)
  })

  it('answers a guessed key of another department exactly like a key that does not exist', async () => {
    const other = await getAs(srv.base, `/api/v1/alerts/${encodeURIComponent(TRANSPORT_CARD)}`, cookie.health)
    const none = await getAs(srv.base, `/api/v1/alerts/${encodeURIComponent('petition.overdue:red:petition:P-X')}`, cookie.health)
    expect([other.status, none.status]).toEqual([404, 404])
    expect(await other.json()).toEqual(await none.json())
    expect((await getAs(srv.base, `/api/v1/alerts/${encodeURIComponent(HEALTH_CARD)}`, cookie.health)).status).toBe(200)
  })

  it('hides another department\'s case events, and masks its own', async () => {
    const other = await getAs(srv.base, '/api/v1/cases/petition/P-T/events', cookie.health)
    expect(other.status).toBe(404)
    expect(await other.text()).not.toContain('李四')
    const own = await getAs(srv.base, '/api/v1/cases/petition/P-H/events', cookie.health)
    expect(own.status).toBe(200)
    const text = await own.text()
    expect(text).toContain('李*')
    expect(text).not.toMatch(/李四|13900001111/)
  })

  it('follows a case into the department it was transferred to', async () => {
    await insertEvent(db, { id: 'acc-P-H', kind: 'petition', type: 'accepted', caseId: 'P-H', dept: 'transport', at: '2026-03-03T01:00:00Z' })
    expect((await getAs(srv.base, '/api/v1/cases/petition/P-H/events', cookie.health)).status).toBe(404)
    expect((await getAs(srv.base, '/api/v1/cases/petition/P-H/events', cookie.transport)).status).toBe(200)
  })

  it('never lets a department user unmask', async () => {
    const r = await postJson(srv.base, '/api/v1/cases/petition/P-T/unmask', { reason: '核查' }, cookie.transport)
    expect(r.status).toBe(403)
    expect(srv.audits).toEqual([])
  })

  describe('over Socket.IO', () => {
    const open = (c?: string): Socket => {
      const s = connect(srv.base, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: c ? { cookie: c } : {} })
      sockets.push(s)
      return s
    }
    const connected = (s: Socket) =>
      new Promise<void>((ok, fail) => {
        s.once('connect', () => ok())
        s.once('connect_error', fail)
      })
    const collect = (s: Socket) => {
      const got: string[] = []
      s.on('alert', (a: { key: string }) => got.push(a.key))
      return got
    }

    it('puts each user in the rooms of their scope', () => {
      expect(roomsFor({ role: 'department', dept: 'health', canUnmask: false, disabled: false })).toEqual(['dept:health'])
      for (const role of ['inspector', 'leader', 'admin'] as const) expect(roomsFor({ role, dept: null, canUnmask: false, disabled: false })).toEqual(['all'])
    })

    it('refuses a connection without a session', async () => {
      await expect(connected(open())).rejects.toThrow('not signed in')
      await expect(connected(open('jiancha_session=' + 'A'.repeat(43)))).rejects.toThrow('not signed in')
    })

    it('delivers a card to its own department and the inspectors only', async () => {
      const health = open(cookie.health)
      const transport = open(cookie.transport)
      const inspector = open(cookie.inspector)
      await Promise.all([health, transport, inspector].map(connected))
      const [h, t, i] = [collect(health), collect(transport), collect(inspector)]
      const lastOfHealth = new Promise<void>((ok) => health.on('alert', (a: { key: string }) => a.key === 'last' && ok()))
      const lastOfTransport = new Promise<void>((ok) => transport.on('alert', (a: { key: string }) => a.key === 'last' && ok()))
      emitAlert(srv.io, { key: TRANSPORT_CARD, dept: 'transport' } as StoredAlert)
      emitAlert(srv.io, { key: HEALTH_CARD, dept: 'health' } as StoredAlert)
      // One connection delivers in order: once each has its own last card, any stray
      // card sent to it earlier would have arrived already.
      emitAlert(srv.io, { key: 'last', dept: 'health' })
      emitAlert(srv.io, { key: 'last', dept: 'transport' })
      await Promise.all([lastOfHealth, lastOfTransport])
      await new Promise((ok) => setTimeout(ok, 50))
      expect(h).toEqual([HEALTH_CARD, 'last'])
      expect(t).toEqual([TRANSPORT_CARD, 'last'])
      // The inspector is in the `all` room: each card once, even when sent to two rooms.
      expect(i).toEqual([TRANSPORT_CARD, HEALTH_CARD, 'last', 'last'])
    })

    it('drops a live socket once its session ends', async () => {
      const c = await srv.cookieOf('transport-desk', PW)
      const s = open(c)
      await connected(s)
      const gone = new Promise<void>((ok) => s.once('disconnect', () => ok()))
      expect(await dropEndedSessions(srv.io, srv.sessions)).toBe(0)
      await postJson(srv.base, '/api/v1/logout', {}, c)
      expect(await dropEndedSessions(srv.io, srv.sessions)).toBe(1)
      await gone
    })
  })
})
