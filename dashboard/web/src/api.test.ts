import { describe, expect, it } from 'vitest'
import { ApiError, createApi, isSignedOut, threadQueryString, type Fetch } from './api.ts'

interface Sent {
  url: string
  init: RequestInit
}

/** fakeFetch answers every call with one response and records what was sent. */
function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const sent: Sent[] = []
  const fetchFn: Fetch = async (url, init) => {
    sent.push({ url, init })
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
  }
  return { sent, fetchFn }
}

describe('api', () => {
  it('sends JSON with the same-origin cookie and reads the answer', async () => {
    const { sent, fetchFn } = fakeFetch(200, { user: { username: 'wang' }, permissions: [] })
    const me = await createApi(fetchFn).login('wang', 'pw')
    expect(me.user.username).toBe('wang')
    expect(sent[0]!.url).toBe('/api/v1/login')
    expect(sent[0]!.init).toMatchObject({ method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' } })
    expect(JSON.parse(String(sent[0]!.init.body))).toEqual({ username: 'wang', password: 'pw' })
  })

  it('surfaces the server error with its status, field and file', async () => {
    const { fetchFn } = fakeFetch(415, { error: 'not a PDF, PNG or JPEG', field: 'attachments', file: 'a.exe' })
    const e = await createApi(fetchFn).rectify(3, 'text', []).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect(e).toMatchObject({ status: 415, error: 'not a PDF, PNG or JPEG', field: 'attachments', file: 'a.exe' })
  })

  it('reads Retry-After on a refused sign-in', async () => {
    const { fetchFn } = fakeFetch(429, { error: 'too many' }, { 'retry-after': '42' })
    await expect(createApi(fetchFn).login('a', 'b')).rejects.toMatchObject({ status: 429, retryAfterS: 42 })
  })

  it('names the refusal of the state machine', async () => {
    const { fetchFn } = fakeFetch(409, { error: 'cannot approve a returned thread', refused: 'wrong_state' })
    await expect(createApi(fetchFn).approve(1)).rejects.toMatchObject({ status: 409, refused: 'wrong_state' })
  })

  it('uploads a rectification as multipart with its files', async () => {
    const { sent, fetchFn } = fakeFetch(201, { thread: {}, transition: {} })
    const file = new File([new Uint8Array([1, 2])], '回执.png', { type: 'image/png' })
    await createApi(fetchFn).rectify(7, '已整改完毕，补齐材料', [file], '补交')
    const body = sent[0]!.init.body as FormData
    expect(sent[0]!.url).toBe('/api/v1/threads/7/rectifications')
    expect(body.get('text')).toBe('已整改完毕，补齐材料')
    expect(body.get('comment')).toBe('补交')
    expect((body.get('attachments') as File).name).toBe('回执.png')
    expect(sent[0]!.init.headers).not.toHaveProperty('content-type')
  })

  it('tells the app when a call finds the session ended, but not for sign-in itself', async () => {
    const { fetchFn } = fakeFetch(401, { error: 'not signed in' })
    const a = createApi(fetchFn)
    let told = 0
    a.onSignedOut(() => told++)
    await expect(a.threads({})).rejects.toSatisfy(isSignedOut)
    expect(told).toBe(1)
    await expect(a.me()).rejects.toMatchObject({ status: 401 })
    await expect(a.login('x', 'y')).rejects.toMatchObject({ status: 401 })
    expect(told).toBe(1)
  })

  it('turns a network failure into status 0', async () => {
    const a = createApi(async () => {
      throw new TypeError('Failed to fetch')
    })
    await expect(a.me()).rejects.toMatchObject({ status: 0, error: 'Failed to fetch' })
  })

  it('encodes path segments and filters', async () => {
    const { sent, fetchFn } = fakeFetch(200, {})
    const a = createApi(fetchFn)
    await a.caseEvents('petition', 'XF/2026 1')
    await a.threads({ state: ['acknowledged', 'returned'], level: 'red', open: true, limit: 50 })
    expect(sent.map((s) => s.url)).toEqual([
      '/api/v1/cases/petition/XF%2F2026%201/events',
      '/api/v1/threads?state=acknowledged%2Creturned&level=red&open=true&limit=50',
    ])
    expect(threadQueryString({})).toBe('')
  })

  it('manages accounts with JSON bodies, and takes the empty answer of a password reset', async () => {
    const { sent, fetchFn } = fakeFetch(200, { user: { username: 'a.b' } })
    const a = createApi(fetchFn)
    await a.users()
    await a.createUser({ username: 'market-clerk', password: 'a long password', role: 'department', dept: 'market' })
    await a.disableUser('a.b/c', '离职')
    await a.enableUser('a.b', '返岗')
    expect(sent.map((s) => [s.init.method, s.url, s.init.body === undefined ? undefined : JSON.parse(String(s.init.body))])).toEqual([
      ['GET', '/api/v1/users', undefined],
      ['POST', '/api/v1/users', { username: 'market-clerk', password: 'a long password', role: 'department', dept: 'market' }],
      ['POST', '/api/v1/users/a.b%2Fc/disable', { reason: '离职' }],
      ['POST', '/api/v1/users/a.b/enable', { reason: '返岗' }],
    ])
    for (const s of sent.slice(1)) expect(s.init.headers).toMatchObject({ 'content-type': 'application/json' })
    const empty: Fetch = async (url, init) => {
      sent.push({ url, init })
      return new Response(null, { status: 204 })
    }
    expect(await createApi(empty).resetPassword('li', 'a new password!')).toBeNull()
    expect(sent.at(-1)!.url).toBe('/api/v1/users/li/password')
    expect(JSON.parse(String(sent.at(-1)!.init.body))).toEqual({ password: 'a new password!' })
  })

  it('manages departments with JSON bodies, the code in the path of a change', async () => {
    const { sent, fetchFn } = fakeFetch(200, { departments: [] })
    const a = createApi(fetchFn)
    const names = { 'zh-CN': '水务局', en: 'Water Bureau' }
    await a.departments()
    await a.unregisteredDepartments()
    await a.createDepartment({ code: 'water', names, kind: 'service' })
    await a.updateDepartment('a.b/c', { names, kind: 'service', active: false })
    expect(sent.map((s) => [s.init.method, s.url, s.init.body === undefined ? undefined : JSON.parse(String(s.init.body))])).toEqual([
      ['GET', '/api/v1/departments', undefined],
      ['GET', '/api/v1/departments/unregistered', undefined],
      ['POST', '/api/v1/departments', { code: 'water', names, kind: 'service' }],
      ['PUT', '/api/v1/departments/a.b%2Fc', { names, kind: 'service', active: false }],
    ])
  })

  it('reads the platform status, and a refusal becomes an ApiError', async () => {
    const status = { now: '2026-11-24T02:00:00.000Z', components: [], deadLetters: null, deadLettersError: 'the bus is not connected' }
    const { sent, fetchFn } = fakeFetch(200, status)
    expect(await createApi(fetchFn).platformStatus()).toEqual(status)
    expect([sent[0]!.init.method, sent[0]!.url]).toEqual(['GET', '/api/v1/admin/status'])
    const refused = fakeFetch(403, { error: 'a department may not read the platform status' })
    await expect(createApi(refused.fetchFn).platformStatus()).rejects.toMatchObject({ status: 403, error: 'a department may not read the platform status' })
  })
})

describe('the KPI calls', () => {
  it('read the ranking, trend, drill-down and decision support at their routes', async () => {
    const { sent, fetchFn } = fakeFetch(200, {})
    const a = createApi(fetchFn)
    await a.cockpitRanking(null, null)
    await a.cockpitRanking('2026-Q4', 'service')
    await a.kpiTrend('market', 'quarter', 12, '2026-Q4')
    await a.kpiDrillDown('market', '2026-11', 'cards')
    await a.kpiReform('2026-09-01', '2026-11-30')
    expect(sent.map((s) => [s.init.method, s.url])).toEqual([
      ['GET', '/api/v1/kpi/rankings'],
      ['GET', '/api/v1/kpi/rankings?period=2026-Q4&kind=service'],
      ['GET', '/api/v1/kpi/departments/market/trend?unit=quarter&periods=12&until=2026-Q4'],
      ['GET', '/api/v1/kpi/departments/market/drilldown?period=2026-11&indicator=cards'],
      ['GET', '/api/v1/kpi/reform?from=2026-09-01&until=2026-11-30'],
    ])
  })
})
