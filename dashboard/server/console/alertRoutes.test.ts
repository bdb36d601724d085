import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredAlert } from '../../../alerts/index.ts'
import { insertAlert } from '../../../alerts/testing.ts'
import { createUser } from '../../../accounts/index.ts'
import { getAs } from '../../../accounts/testdata/server.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { type DataServer, startDataServer } from '../testdata/dataServer.ts'

const PW = 'the right password'

describe.each(openTestDbs())('alert routes on $name', ({ open }) => {
  let db: Db
  let srv: DataServer
  let inspector = ''
  beforeAll(async () => {
    db = await open()
    srv = await startDataServer(db)
    await createUser(db, { username: 'wang', password: PW, role: 'inspector' })
    inspector = await srv.cookieOf('wang', PW)
    // Three cards at one instant, to page across a tie.
    await insertAlert(db, { key: 'a:1', dept: 'health', at: '2026-03-01T01:00:00Z', level: 'yellow', rule: 'petition.due_soon' })
    await insertAlert(db, { key: 'a:2', dept: 'health', at: '2026-03-02T01:00:00Z' })
    await insertAlert(db, { key: 'a:3', dept: 'transport', at: '2026-03-02T01:00:00Z' })
    await insertAlert(db, { key: 'a:4', dept: 'transport', at: '2026-03-02T01:00:00Z' })
    await insertAlert(db, { key: 'a:5', dept: 'transport', at: '2026-03-03T01:00:00Z', status: 'withdrawn' })
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
  })

  it('answers 401 to every read without a session', async () => {
    for (const p of ['/api/v1/alerts', '/api/v1/alerts/a:1']) expect((await getAs(srv.base, p)).status).toBe(401)
  })

  describe('GET /api/v1/alerts', () => {
    const keys = async (q: string) => {
      const r = await getAs(srv.base, `/api/v1/alerts${q}`, inspector)
      expect(r.status).toBe(200)
      const page = (await r.json()) as { alerts: StoredAlert[]; next: string | null }
      return { keys: page.alerts.map((a) => a.key), next: page.next }
    }

    it('lists standing cards newest first, and filters', async () => {
      expect((await keys('')).keys).toEqual(['a:4', 'a:3', 'a:2', 'a:1'])
      expect((await keys('?dept=health')).keys).toEqual(['a:2', 'a:1'])
      expect((await keys('?level=yellow')).keys).toEqual(['a:1'])
      expect((await keys('?rule=petition.overdue&dept=transport')).keys).toEqual(['a:4', 'a:3'])
      expect((await keys('?status=withdrawn')).keys).toEqual(['a:5'])
    })

    it('pages with `next`, across cards of the same instant', async () => {
      const p1 = await keys('?limit=2')
      expect(p1.keys).toEqual(['a:4', 'a:3'])
      const p2 = await keys(`?limit=2&before=${encodeURIComponent(p1.next!)}`)
      expect(p2.keys).toEqual(['a:2', 'a:1'])
      const p3 = await keys(`?limit=2&before=${encodeURIComponent(p2.next!)}`)
      expect(p3).toEqual({ keys: [], next: null })
      expect((await keys(`?before=${encodeURIComponent('2026-03-02T09:00:00+08:00')}`)).keys).toEqual(['a:1'])
    })

    it('refuses bad filters with 400', async () => {
      for (const q of ['?level=green', '?limit=0', '?limit=501', '?limit=abc', '?before=yesterday']) {
        expect((await getAs(srv.base, `/api/v1/alerts${q}`, inspector)).status).toBe(400)
      }
    })

    it('reads one card by its key', async () => {
      const r = await getAs(srv.base, `/api/v1/alerts/${encodeURIComponent('a:2')}`, inspector)
      expect(r.status).toBe(200)
      expect(await r.json()).toMatchObject({ key: 'a:2', dept: 'health', level: 'red', status: 'open' })
      expect((await getAs(srv.base, '/api/v1/alerts/nope', inspector)).status).toBe(404)
    })
  })
})
