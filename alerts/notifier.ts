/**
 * The notifier closes the loop from a stored card to a person: the notification
 * pipeline (notify/), the SMS outbox and its sender (sms/), the replies that
 * acknowledge (确认 <code>), and escalation when nobody answers (lifecycle/).
 */
import type { CardMessage, DeptNames } from '../common/contract/index.ts'
import { maskPhone } from '../common/privacy/index.ts'
import type { Clock } from '../common/time/index.ts'
import type { Db } from '../common/db/index.ts'
import type { Logger } from '../common/log/index.ts'
import type { ClockDeps } from '../rules/index.ts'
import { DEFAULT_ESCALATION, type EscalationHandle, startEscalation } from './lifecycle/escalation.ts'
import { composeNotices, recordNotice } from './lifecycle/notices.ts'
import type { ThreadStore } from './lifecycle/threadStore.ts'
import { activeSilences, contactsOf, type DeptNameOf, Dispatcher, markNotified, notifiedKeys, shortCode, type NotifySettings } from './notify/index.ts'
import { enqueue as enqueueSms, inboundSmsHandler, INBOUND_PATH, startSmsSender, statusCallbackHandler, STATUS_PATH, type AckResult, type Handler, type SmsProvider } from './sms/index.ts'
import { type CardPosition, openCardsSince } from './store.ts'

/** NotifierOptions wire the notifier. */
export interface NotifierOptions {
  db: Db
  clock: Clock
  log: Logger
  /** the rules' zone and working-day calendar, on which escalation counts office hours */
  ctx: ClockDeps
  /** the process's thread store (alerts/compose.ts), shared with the alert service and the consoles */
  threads: ThreadStore
  sms: SmsProvider
  /** the registry's names of departments (bin/platform.ts hands in the DeptDirectory's); without it texts name departments by code */
  deptName?: DeptNameOf
  /** the path's settings; quiet hours are read in ctx.zone unless settings.zone says otherwise */
  settings?: Partial<NotifySettings>
  /** how often held notices are looked at and the outbox is polled (ms) */
  tickMs?: number
  /** escalation schedule (node-cron syntax) */
  cron?: string
  /**
   * told the outbox id of each text message queued or changed (sent, retried, failed,
   * delivered); the platform announces it on the bus (LIVE_SMS) for walls and consoles
   */
  onSmsChange?: (id: number) => void
}

/** LIVE_SMS is the live bus topic announcing `{id}` of a text message that was queued or changed. */
export const LIVE_SMS = 'sms'

/** Notifier is a running notifier. */
export interface Notifier {
  /** push hands over a card just stored (or withdrawn). */
  push(card: CardMessage): void
  /** webhooks are Twilio's callbacks, by path, to mount on a public HTTP server. */
  webhooks: Record<string, Handler>
  threads: ThreadStore
  dispatcher: Dispatcher
  /** escalation runs on its schedule; runEscalationOnce runs a pass now */
  escalation: EscalationHandle
  /** sweep hands over open cards of the last day that no message covers yet (after a restart). */
  sweep(): Promise<number>
  /** lastError is the latest failure of the pipeline or the sender (the database or Twilio gone), for /healthz; null if none yet. */
  lastError(): NotifierError | null
  stop(): Promise<void>
}

/** NotifierError is a failure the notifier logged: when (ISO, wall time) and what. */
export interface NotifierError {
  at: string
  message: string
}

/** ESCALATION_DEPTS name the contact lists that escalation steps beyond the department reach. */
export const ESCALATION_DEPTS = { inspectors: 'inspection', leaders: 'leaders' } as const

/**
 * ESCALATION_LIST_NAMES name those lists for the wall and the consoles. They are the
 * platform's own lists, not departments: the registry refuses their codes.
 */
export const ESCALATION_LIST_NAMES: Readonly<DeptNames> = {
  [ESCALATION_DEPTS.inspectors]: { 'zh-CN': '纪检监察室', en: 'Discipline inspection office' },
  [ESCALATION_DEPTS.leaders]: { 'zh-CN': '分管领导', en: 'Leaders in charge' },
}

/** startNotifier wires the pipeline, the sender, the reply handler and escalation. */
export function startNotifier(opts: NotifierOptions): Notifier {
  const { db, clock, log } = opts
  let lastError: NotifierError | null = null
  const failed = (e: unknown) => {
    lastError = { at: new Date().toISOString(), message: (e as Error)?.message ?? String(e) }
  }
  // A wall missing one change is not worth failing a send over.
  const changed = (id: number) => {
    try {
      opts.onSmsChange?.(id)
    } catch (e) {
      log.warn('announcing an sms change failed', { id, error: (e as Error).message })
    }
  }
  const threads = opts.threads
  const dispatcher = new Dispatcher({
    clock,
    log,
    // Quiet hours are night by the platform's clocks, the zone its rules reckon in.
    settings: { zone: opts.ctx.zone.name, ...opts.settings },
    notifiedKeys: (keys) => notifiedKeys(db, keys),
    activeSilences: (t) => activeSilences(db, t),
    contacts: (dept) => contactsOf(db, dept),
    deptName: opts.deptName,
    onError: failed,
    // A single card quotes its thread's code, so the reply acknowledges that thread.
    codeFor: async (ref, keys) => (keys.length === 1 ? ((await threads.threadByAlertKey(keys[0]!))?.shortCode ?? shortCode(ref, 0)) : shortCode(ref, 0)),
    enqueue: async (entry, covers) => {
      const now = clock.now()
      const id = await db.transaction(async (tx) => {
        const id = await enqueueSms(tx, entry.ref, entry.recipient, entry.body, entry.dept)
        await markNotified(tx, covers, entry.ref, now)
        return id
      })
      if (id !== null) changed(id)
      log.info(`短信 → ${maskPhone(entry.recipient)}: ${entry.body}`)
      for (const key of covers) {
        const t = await threads.threadByAlertKey(key)
        if (t?.state === 'raised') await threads.applyAction(t.id, { name: 'notify' }, { role: 'system', name: 'sms' }, '短信已发出', { ref: entry.ref })
      }
    },
  })
  const sender = startSmsSender({ db, gateway: opts.sms.gateway, clock, log: log.child('sms'), statusCallbackUrl: opts.sms.statusCallbackUrl, pollMs: opts.tickMs, onChange: changed, onError: failed })
  // Each step records a pending notice with its effect; at the end of each pass the
  // notices become one text per recipient and group (docs/lifecycle.md, Escalation).
  const escalationLog = log.child('escalation')
  const escalation = startEscalation({
    db, clock, ctx: opts.ctx, store: threads, log: escalationLog, cron: opts.cron,
    settings: DEFAULT_ESCALATION,
    notify: recordNotice,
    compose: (now) => composeNotices({ db, lists: ESCALATION_DEPTS, deptName: opts.deptName, log: escalationLog, onQueued: changed }, now),
  })
  const timer = setInterval(() => {
    dispatcher.tick().catch((e: unknown) => {
      failed(e)
      log.error('notification run failed', { error: (e as Error).message })
    })
  }, opts.tickMs ?? 2000)
  timer.unref()

  async function onAck({ code, from }: { code: string; from: string }): Promise<AckResult> {
    const thread = await threads.threadByCode(code)
    if (!thread) return 'unknown_code'
    const contacts = await contactsOf(db, thread.dept)
    if (contacts.duty?.phone !== from && contacts.head?.phone !== from) return 'not_a_contact'
    if (thread.state !== 'raised' && thread.state !== 'notified') return 'already'
    const r = await threads.applyAction(thread.id, { name: 'acknowledge' }, { role: 'department', dept: thread.dept, name: `sms:${from}` }, '短信回复确认')
    return 'refused' in r ? 'already' : 'acknowledged'
  }

  const webhooks: Record<string, Handler> = {}
  if (opts.sms.authToken && opts.sms.publicBaseUrl) {
    const w = { authToken: opts.sms.authToken, publicBaseUrl: opts.sms.publicBaseUrl, log: log.child('twilio') }
    webhooks[STATUS_PATH] = statusCallbackHandler({ ...w, db, now: () => clock.now(), onChange: changed })
    webhooks[INBOUND_PATH] = inboundSmsHandler({ ...w, onAck })
  }

  return {
    push: (card) => {
      dispatcher.push([card]).catch((e: unknown) => {
        failed(e)
        log.error('notification run failed', { key: card.key, error: (e as Error).message })
      })
    },
    webhooks,
    threads,
    dispatcher,
    escalation,
    lastError: () => lastError,
    async sweep() {
      const cards = await unnotifiedCards(db, clock.now() - 86_400_000)
      if (cards.length) await dispatcher.push(cards)
      return cards.length
    },
    async stop() {
      clearInterval(timer)
      escalation.stop()
      await sender.stop()
      await opts.sms.close()
    },
  }
}

/** SWEEP_MAX is the most cards one sweep hands over; SWEEP_PAGE how many open cards it reads at a time. */
const SWEEP_MAX = 5000
const SWEEP_PAGE = 1000

/** unnotifiedCards returns open cards raised since `since` that no message covers yet, oldest first. */
async function unnotifiedCards(db: Db, since: number): Promise<CardMessage[]> {
  const out: CardMessage[] = []
  let after: CardPosition | undefined
  while (out.length < SWEEP_MAX) {
    const page = await openCardsSince(db, since, SWEEP_PAGE, after)
    const sent = await notifiedKeys(db, page.map((c) => c.key))
    out.push(...page.filter((c) => !sent.has(c.key)))
    if (page.length < SWEEP_PAGE) break
    after = page.at(-1)
  }
  return out.slice(0, SWEEP_MAX)
}

