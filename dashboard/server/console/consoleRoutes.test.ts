import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testThreads } from '../../../alerts/testing.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { defaultScheme, recordScheme } from '../../../kpi/index.ts'
import { ROUTE_PASSWORD, type RouteServer, startRouteServer } from '../testdata/routeServer.ts'
import { auditWriter } from './consoleAudit.ts'
import { consoleRoutes } from './consoleRoutes.ts'

// The mount only: each resource's behaviour is tested beside its module.
describe.each(openTestDbs())('the consoles\' API mount on $name', ({ open }) => {
  let db: Db
  let srv: RouteServer
  const dir = mkdtempSync(join(tmpdir(), 'console-mount-'))

  beforeAll(async () => {
    db = await open()
    srv = await startRouteServer(db, (sessions) => consoleRoutes({ db, threads: testThreads(db), sessions, attachmentsDir: dir, audit: auditWriter(db, Date.now) }))
  })
  afterAll(async () => {
    await srv?.close()
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('owns every resource: each answers 401 without a session', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/me'], ['GET', '/api/v1/users'], ['GET', '/api/v1/alerts'], ['GET', '/api/v1/alerts/a:1'], ['GET', '/api/v1/cases/petition/P-1/events'],
      ['POST', '/api/v1/cases/petition/P-1/unmask'], ['GET', '/api/v1/threads'], ['GET', '/api/v1/threads/1'], ['GET', '/api/v1/silences'],
      ['GET', '/api/v1/contacts'], ['GET', '/api/v1/contacts/health/duty'], ['GET', '/api/v1/kpi/rankings'], ['GET', '/api/v1/kpi/scheme'],
      ['GET', '/api/v1/kpi/departments/health/trend'], ['GET', '/api/v1/kpi/reform?from=2026-11-01&until=2026-11-30'],
    ] as const) {
      expect((await srv.call(null, method, path, method === 'POST' ? {} : undefined)).status, `${method} ${path}`).toBe(401)
    }
  })

  it('signs in and answers each resource for the signed-in user', async () => {
    const r = await srv.call(null, 'POST', '/api/v1/login', { username: 'root', password: ROUTE_PASSWORD })
    expect(r.status).toBe(200)
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!
    const as = (path: string) => srv.call(null, 'GET', path, undefined, { cookie })
    expect((await as('/api/v1/me')).json.user).toMatchObject({ username: 'root', role: 'admin' })
    expect((await as('/api/v1/users')).json.users.map((u: { username: string }) => u.username)).toContain('root')
    expect((await as('/api/v1/contacts')).json).toEqual({ contacts: [] })
    expect((await srv.call('wang', 'GET', '/api/v1/threads')).json).toEqual({ threads: [] })
    expect((await srv.call('wang', 'GET', '/api/v1/alerts')).json).toEqual({ alerts: [], next: null })
    expect((await srv.call('wang', 'GET', '/api/v1/silences')).json).toEqual({ silences: [] })
    // The figures, with kpi's default scheme when none is given; the public page's from kpi_frozen.
    expect((await srv.call('li', 'GET', '/api/v1/kpi/scheme')).json.version).toBe(defaultScheme().version)
    // No kpi worker ever ran on this database: no figures, and the answer says so (the cockpit: 绩效评测未运行).
    const none = await srv.call('li', 'GET', '/api/v1/kpi/rankings?period=2026-11')
    expect([none.status, none.json.error]).toEqual([503, 'kpi_not_running'])
    expect(none.json.message).toMatch(/start the kpi component/)
    // Once one has (it records its scheme at start), an empty period is an empty ranking.
    await recordScheme(db, defaultScheme(), 'default', Date.now())
    expect((await srv.call('li', 'GET', '/api/v1/kpi/rankings?period=2026-11')).json).toMatchObject({ period: '2026-11', status: 'live', rows: [] })
    expect((await srv.call('health-desk', 'GET', '/api/v1/kpi/departments/transport/trend')).status).toBe(403)
    expect((await srv.call(null, 'GET', '/api/v1/public/performance')).json).toEqual({ period: null, departments: [] })
    expect((await srv.call('li', 'GET', '/api/v1/kpi/reform?from=2026-11-01&until=2026-11-30')).json).toEqual({ from: '2026-11-01', until: '2026-11-30', candidates: [] })
  })

  it('leaves the paths it does not own to others', async () => {
    for (const path of ['/api/v1/nothing', '/api/v1/wall', '/api/v1/flags', '/api/v2/threads', '/healthz', '/api/v1/threads/1/approve/x', '/api/v1/%zz']) {
      expect(await srv.call('wang', 'GET', path), path).toMatchObject({ status: 404, json: { error: 'no route' } })
    }
  })
})
