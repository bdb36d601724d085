/**
 * The outbox stage turns the released notices into messages, one per digest (a
 * digest of one card reads as that card), and hands each to an injected `enqueue`
 * (the SMS outbox, alerts/sms/outbox.ts). A message that cannot be enqueued is not
 * lost: its notices come back marked `failed`, to be tried again.
 */
import { notifyKeys } from './dedup.ts'
import { decide, type Notice, type Recipient, type Stage } from './stage.ts'
import { type DeptNameOf, digestText, NO_NAMES, shortCode, singleText, type Counts } from './text.ts'

/** OutboxEntry is one SMS to send: ref is the alert key or the digest id, recipient an E.164 phone. */
export interface OutboxEntry {
  ref: string
  recipient: string
  body: string
  /** the department the message is about */
  dept: string
}

/**
 * Enqueue stores one message for sending. `covers` lists the keys the message
 * notifies (dedup.notifyKeys); record them (sentStore.markNotified) in the same
 * transaction, so that dedup knows after a restart.
 */
export type Enqueue = (entry: OutboxEntry, covers: readonly string[]) => Promise<void>

/**
 * CodeFor gives the short code quoted in the message `ref` covering these alert keys;
 * by default shortCode(ref, 0). A store may resolve collisions, or use the card's thread code.
 */
export type CodeFor = (ref: string, alertKeys: readonly string[]) => string | Promise<string>

/** Message is the notices that go out in one SMS to one recipient. */
export interface Message {
  ref: string
  recipient: Recipient
  dept: string
  notices: Notice[]
}

/** messagesOf bundles routed notices by digest, in order; a notice outside any digest is a message of its own. */
export function messagesOf(items: readonly Notice[]): Message[] {
  const byId = new Map<string, Message>()
  const out: Message[] = []
  for (const n of items) {
    if (!n.recipient) continue
    const id = n.digestId ?? `${n.alert.key}|${n.recipient.phone}`
    let m = byId.get(id)
    if (!m) {
      m = { ref: n.digestId ?? n.alert.key, recipient: n.recipient, dept: n.alert.dept, notices: [] }
      byId.set(id, m)
      out.push(m)
    }
    m.notices.push(n)
  }
  for (const m of out) if (m.notices.length === 1) m.ref = m.notices[0]!.alert.key
  return out
}

/** render writes a message's body: the card itself when alone, else the digest counts. */
export function render(m: Message, code: string, nameOf: DeptNameOf): string {
  if (m.notices.length === 1) return singleText(m.notices[0]!.alert, code, nameOf)
  const counts: Counts = { red: 0, yellow: 0 }
  for (const n of m.notices) counts[n.alert.level]++
  return digestText(m.dept, counts, code, nameOf)
}

/**
 * outboxStage enqueues one message per digest and returns the notices marked sent
 * (ref, code) or failed. Departments are named by nameOf (the registry), by code without it.
 */
export function outboxStage(enqueue: Enqueue, codeFor: CodeFor = (ref) => shortCode(ref, 0), nameOf: DeptNameOf = NO_NAMES): Stage {
  return {
    name: 'outbox',
    async exec(ctx, items) {
      const out: Notice[] = items.filter((n) => !n.recipient)
      for (const m of messagesOf(items)) {
        try {
          const code = await codeFor(m.ref, m.notices.map((n) => n.alert.key))
          await enqueue({ ref: m.ref, recipient: m.recipient.phone, body: render(m, code, nameOf), dept: m.dept }, m.notices.flatMap(notifyKeys))
          out.push(...m.notices.map((n) => ({ ...n, ref: m.ref, shortCode: code })))
        } catch (e) {
          const error = (e as Error).message
          ctx.log.error('enqueueing an SMS failed; will retry', { ref: m.ref, error })
          for (const n of m.notices) decide(ctx, 'outbox', n, 'defer', 'enqueue_failed', { role: n.recipient?.role })
          out.push(...m.notices.map((n) => ({ ...n, failed: error })))
        }
      }
      return out
    },
  }
}
