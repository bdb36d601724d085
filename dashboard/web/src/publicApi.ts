/**
 * The public page's calls (信息服务): no session, no cookie sent, and a refusal never
 * means "signed out" (so it cannot send a citizen to the staff login page).
 */
import type { ComplaintInput, ComplaintReceipt, DeptNames, PublicCaseProgress, PublicPerformance } from '../../../common/contract/api.ts'
import { ApiError, type Fetch } from './api.ts'

/** createPublicApi builds the public calls over a fetch; `publicApi` below is the browser's. */
export function createPublicApi(fetchFn: Fetch) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, credentials: 'omit', cache: 'no-store', headers: { accept: 'application/json' } }
    if (body !== undefined) {
      init.headers = { accept: 'application/json', 'content-type': 'application/json' }
      init.body = JSON.stringify(body)
    }
    let r: Response
    try {
      r = await fetchFn(path, init)
    } catch (e) {
      throw new ApiError(0, e instanceof Error ? e.message : String(e))
    }
    const json = (await r.json().catch(() => null)) as Record<string, unknown> | null
    if (r.ok) return json as T
    const retry = Number(r.headers.get('retry-after'))
    throw new ApiError(r.status, typeof json?.error === 'string' ? json.error : `HTTP ${r.status}`, typeof json?.field === 'string' ? json.field : undefined, undefined, undefined, Number.isFinite(retry) && retry > 0 ? retry : undefined)
  }
  const seg = encodeURIComponent
  return {
    lookup: (caseId: string, code: string) => call<PublicCaseProgress>('GET', `/api/v1/public/cases/${seg(caseId)}?code=${seg(code)}`),
    complain: (c: ComplaintInput) => call<ComplaintReceipt>('POST', '/api/v1/public/complaints', c),
    performance: () => call<PublicPerformance>('GET', '/api/v1/public/performance'),
    depts: () => call<DeptNames>('GET', '/api/v1/public/depts'),
  }
}

/** publicApi is the browser's public calls. */
export const publicApi = createPublicApi((url, init) => fetch(url, init))
