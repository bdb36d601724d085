/**
 * collectorSubmitter sends one event to the collector's HTTP intake as a configured
 * source, exactly as a department's system would: so a complaint is checked, stored
 * and deduplicated like every other event.
 */
import type { CaseEvent } from '../../../common/contract/index.ts'
import type { SubmitResult } from './publicRoutes.ts'

/** SUBMIT_TIMEOUT_MS bounds one submission. */
export const SUBMIT_TIMEOUT_MS = 5000

/** collectorSubmitter posts events to `url`/api/v1/events with the source's bearer token. */
export function collectorSubmitter(url: string, token: string): (ev: CaseEvent) => Promise<SubmitResult> {
  return async (ev) => {
    let r: Response
    try {
      r = await fetch(new URL('/api/v1/events', url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(ev),
        signal: AbortSignal.timeout(SUBMIT_TIMEOUT_MS),
      })
    } catch (e) {
      return { status: 'failed', error: (e as Error).message }
    }
    const body = (await r.json().catch(() => null)) as { results?: Array<{ status: string; error?: { field: string; message: string } }> } | null
    const item = body?.results?.[0]
    if (item?.status === 'accepted' || item?.status === 'duplicate') return { status: item.status }
    if (item?.status === 'rejected') return { status: 'rejected', error: `${item.error?.field}: ${item.error?.message}` }
    return { status: 'failed', error: `collector answered ${r.status}` }
  }
}
