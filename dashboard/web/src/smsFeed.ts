/**
 * The SMS feed: the wall's text messages, newest first by `at`, unique by id and
 * bounded. A later view of a message replaces the row (its status moved on), but a
 * stale one never moves a status back: a `sent` arriving after `delivered` (held
 * during a reload, or late on the socket) is ignored.
 */
import { MAX_SNAPSHOT_SMS, type SmsStatus, type SmsView } from '../../../common/contract/api.ts'

/** SMS_CAPACITY is how many messages the wall keeps in memory (a snapshot's worth). */
export const SMS_CAPACITY = MAX_SNAPSHOT_SMS

/** SMS_RENDER_LIMIT is how many messages the wall puts on screen. */
export const SMS_RENDER_LIMIT = 20

/** STATUS_RANK orders the outbox states: pending < sending < sent < final (docs/sms.md). */
const STATUS_RANK: Record<SmsStatus, number> = { pending: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 }

/** isFailed tells a message that never reached its recipient. */
export function isFailed(status: SmsStatus): boolean {
  return status === 'failed' || status === 'undelivered'
}

/** upsertSms puts a message into the feed, replacing an earlier view of the same id. */
export function upsertSms(feed: readonly SmsView[], sms: SmsView, capacity = SMS_CAPACITY): SmsView[] {
  const i = feed.findIndex((s) => s.id === sms.id)
  if (i >= 0) {
    if (STATUS_RANK[sms.status] < STATUS_RANK[feed[i]!.status]) return feed as SmsView[]
    return feed.map((s, j) => (j === i ? sms : s))
  }
  const at = Date.parse(sms.at)
  let k = 0
  while (k < feed.length && Date.parse(feed[k]!.at) > at) k++
  if (k >= capacity) return feed as SmsView[]
  return [...feed.slice(0, k), sms, ...feed.slice(k, capacity - 1)]
}

/** smsFromSnapshot builds the feed from a snapshot: unique by id, newest first, capped. */
export function smsFromSnapshot(list: readonly SmsView[] | undefined, capacity = SMS_CAPACITY): SmsView[] {
  const seen = new Set<number>()
  const unique = (list ?? []).filter((s) => !seen.has(s.id) && seen.add(s.id))
  return unique.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, capacity)
}
