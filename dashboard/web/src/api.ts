/**
 * api: every call the app makes to the platform, typed, in one place. Same-origin
 * fetch with the session cookie; a refusal becomes an ApiError carrying the HTTP
 * status and the server's `{error, field}`. A 401 on any call but sign-in means the
 * session ended: the handler set with onSignedOut sends the user to the login page.
 */
import type { AccountView, CaseEvents, CasePage, IssuedCheckCode, ContactRole, ContactView, DecisionSupport, DepartmentInput, DepartmentView, DeptKind, DeptNames, FlagAnswer, FlagInput, Kind, KpiDrillDown, KpiRanking, KpiTrend, KpiUnit, Me, NewAccount, PlatformStatus, SilenceInput, SilenceView, ThreadChange, ThreadDetail, ThreadQuery, ThreadView, Unregistered, WallSnapshot } from '../../../common/contract/api.ts'
import { drillPath, rankingPath, reformPath, trendPath } from './kpiExport.ts'

/** ApiError is a call the server refused (or that never reached it: status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    /** the request field the server names, if any */
    readonly field?: string,
    /** the uploaded file the server names (413, 415) */
    readonly file?: string,
    /** the state machine's reason (wrong_state, …) */
    readonly refused?: string,
    /** seconds to wait before signing in again (429) */
    readonly retryAfterS?: number,
  ) {
    super(error)
    this.name = 'ApiError'
  }
}

/** isSignedOut tells whether an error means the session is gone. */
export function isSignedOut(e: unknown): boolean {
  return e instanceof ApiError && e.status === 401
}

/** Fetch is the part of window.fetch the api uses (a fake in tests). */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>

/** Body is what a call sends: JSON, or a multipart form (uploads). */
type Body = Record<string, unknown> | FormData | undefined

/** threadQueryString writes a thread filter as the list's query string. */
export function threadQueryString(q: ThreadQuery): string {
  const p = new URLSearchParams()
  if (q.state?.length) p.set('state', q.state.join(','))
  if (q.level) p.set('level', q.level)
  if (q.open !== undefined) p.set('open', String(q.open))
  if (q.limit !== undefined) p.set('limit', String(q.limit))
  const s = p.toString()
  return s ? `?${s}` : ''
}

const seg = encodeURIComponent

/** createApi builds the calls over a fetch; `api` below is the browser's. */
export function createApi(fetchFn: Fetch) {
  let signedOut: () => void = () => {}

  async function call<T>(method: string, path: string, body?: Body, opts: { quiet401?: boolean } = {}): Promise<T> {
    const init: RequestInit = { method, credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } }
    if (body instanceof FormData) init.body = body // the browser sets the multipart boundary
    else if (body !== undefined) {
      init.headers = { accept: 'application/json', 'content-type': 'application/json' }
      init.body = JSON.stringify(body)
    }
    let r: Response
    try {
      r = await fetchFn(path, init)
    } catch (e) {
      throw new ApiError(0, e instanceof Error ? e.message : String(e))
    }
    const json = await r.json().catch(() => null)
    if (r.ok) return json as T
    const e = errorOf(r, json)
    if (e.status === 401 && !opts.quiet401) signedOut()
    throw e
  }

  return {
    /** onSignedOut sets what happens when a call finds the session ended. */
    onSignedOut(fn: () => void): void {
      signedOut = fn
    },
    me: () => call<Me>('GET', '/api/v1/me', undefined, { quiet401: true }),
    login: (username: string, password: string) => call<Me>('POST', '/api/v1/login', { username, password }, { quiet401: true }),
    logout: () => call<{ ok: true }>('POST', '/api/v1/logout', {}, { quiet401: true }),
    depts: () => call<DeptNames>('GET', '/api/v1/depts'),
    /** the wall's snapshot; a 401 is left to the wall, which signs out through its own path */
    wall: () => call<WallSnapshot>('GET', '/api/v1/wall', undefined, { quiet401: true }),
    /** a period's ranking (the wall's board); a 401 is left to the wall, as for its snapshot */
    kpiRanking: (period: string) => call<KpiRanking>('GET', `/api/v1/kpi/rankings?period=${seg(period)}`, undefined, { quiet401: true }),
    threads: (q: ThreadQuery) => call<{ threads: ThreadView[] }>('GET', `/api/v1/threads${threadQueryString(q)}`),
    thread: (id: number) => call<ThreadDetail>('GET', `/api/v1/threads/${id}`),
    acknowledge: (id: number, comment?: string) => call<ThreadChange>('POST', `/api/v1/threads/${id}/acknowledge`, comment ? { comment } : {}),
    rectify: (id: number, text: string, files: readonly File[], comment?: string) => {
      const form = new FormData()
      form.append('text', text)
      if (comment) form.append('comment', comment)
      for (const f of files) form.append('attachments', f, f.name)
      return call<ThreadChange>('POST', `/api/v1/threads/${id}/rectifications`, form)
    },
    approve: (id: number, comment?: string) => call<ThreadChange>('POST', `/api/v1/threads/${id}/approve`, comment ? { comment } : {}),
    sendBack: (id: number, comment: string) => call<ThreadChange>('POST', `/api/v1/threads/${id}/return`, { comment }),
    flag: (input: FlagInput) => call<FlagAnswer>('POST', '/api/v1/flags', { ...input }),
    caseEvents: (kind: Kind, caseId: string) => call<CaseEvents>('GET', `/api/v1/cases/${seg(kind)}/${seg(caseId)}/events`),
    unmask: (kind: Kind, caseId: string, reason: string) => call<CaseEvents>('POST', `/api/v1/cases/${seg(kind)}/${seg(caseId)}/unmask`, { reason }),
    /** the case page: events (masked), clock, cards, threads */
    casePage: (kind: Kind, caseId: string) => call<CasePage>('GET', `/api/v1/cases/${seg(kind)}/${seg(caseId)}`),
    issueCheckCode: (kind: Kind, caseId: string) => call<IssuedCheckCode>('POST', `/api/v1/cases/${seg(kind)}/${seg(caseId)}/check-code`, {}),
    silences: () => call<{ silences: SilenceView[] }>('GET', '/api/v1/silences'),
    createSilence: (s: SilenceInput) => call<{ silence: SilenceView }>('POST', '/api/v1/silences', { ...s }),
    cancelSilence: (id: string, reason: string) => call<{ id: string; status: string }>('DELETE', `/api/v1/silences/${seg(id)}`, { reason }),
    contacts: () => call<{ contacts: ContactView[] }>('GET', '/api/v1/contacts'),
    saveContact: (dept: string, role: ContactRole, name: string, phone: string) =>
      call<ContactView>('PUT', `/api/v1/contacts/${seg(dept)}/${seg(role)}`, { name, phone }),
    users: () => call<{ users: AccountView[] }>('GET', '/api/v1/users'),
    createUser: (a: NewAccount) => call<{ user: AccountView }>('POST', '/api/v1/users', { ...a }),
    disableUser: (username: string, reason: string) => call<{ user: AccountView }>('POST', `/api/v1/users/${seg(username)}/disable`, { reason }),
    enableUser: (username: string, reason: string) => call<{ user: AccountView }>('POST', `/api/v1/users/${seg(username)}/enable`, { reason }),
    departments: () => call<{ departments: DepartmentView[] }>('GET', '/api/v1/departments'),
    unregisteredDepartments: () => call<Unregistered>('GET', '/api/v1/departments/unregistered'),
    createDepartment: (d: DepartmentInput & { code: string }) => call<{ department: DepartmentView; changed: boolean }>('POST', '/api/v1/departments', { ...d }),
    /** parent or active left out stay as they are */
    updateDepartment: (code: string, d: DepartmentInput) => call<{ department: DepartmentView; changed: boolean }>('PUT', `/api/v1/departments/${seg(code)}`, { ...d }),
    /** every component's latest status and the dead letters (admins) */
    platformStatus: () => call<PlatformStatus>('GET', '/api/v1/admin/status'),
    /** the cockpit's ranking of a period (official when frozen, else live), of one kind of department or all; no period: the current month */
    cockpitRanking: (period: string | null, kind: DeptKind | null) => call<KpiRanking>('GET', rankingPath(period, kind)),
    kpiTrend: (dept: string, unit: KpiUnit, periods: number, until: string | null) => call<KpiTrend>('GET', trendPath(dept, unit, periods, until)),
    kpiDrillDown: (dept: string, period: string, indicator: string) => call<KpiDrillDown>('GET', drillPath(dept, period, indicator)),
    /** the decision support's candidates over local dates (辅助决策) */
    kpiReform: (from: string, until: string) => call<DecisionSupport>('GET', reformPath(from, until)),
    /** answers 204, no body */
    resetPassword: (username: string, password: string) => call<null>('POST', `/api/v1/users/${seg(username)}/password`, { password }),
  }
}

/** Api is the set of calls. */
export type Api = ReturnType<typeof createApi>

function errorOf(r: Response, json: unknown): ApiError {
  const j = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  const header = Number(r.headers.get('retry-after'))
  const retry = Number.isFinite(header) && header > 0 ? header : typeof j.retryAfterS === 'number' ? j.retryAfterS : undefined
  return new ApiError(r.status, str(j.error) ?? `HTTP ${r.status}`, str(j.field), str(j.file), str(j.refused), retry)
}

/** api is the browser's instance. */
export const api: Api = createApi((url, init) => fetch(url, init))
