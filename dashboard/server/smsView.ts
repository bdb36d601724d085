/**
 * smsView turns an outbox row into what walls and consoles show: the recipient's
 * number masked (a duty officer's mobile is personal data), instants in the
 * platform zone, and nothing of the provider's bookkeeping.
 */
import type { OutboxMessage } from '../../alerts/index.ts'
import { maskPhone } from '../../common/privacy/index.ts'
import type { SmsView } from '../../common/contract/index.ts'

/** smsView is the wall's view of one text message. */
export function smsView(m: OutboxMessage, format: (t: number) => string): SmsView {
  return {
    id: m.id,
    dept: m.dept,
    to: maskPhone(m.recipient),
    body: m.body,
    status: m.status,
    error: m.error,
    at: format(m.createdAt.getTime()),
    updatedAt: format(m.updatedAt.getTime()),
  }
}

/** mayRead tells whether a reader of `scope` may see a message: its department's, or any for readers of all. */
export function mayReadSms(scope: { all: true } | { dept: string }, m: Pick<SmsView, 'dept'>): boolean {
  return 'all' in scope || m.dept === scope.dept
}
