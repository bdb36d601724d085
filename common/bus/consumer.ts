/**
 * A durable JetStream pull consumer run as a loop that hands messages to one async
 * handler in stream order, a batch at a time (runBatchConsumer) or one at a time
 * (runConsumer), and that keeps going through reconnects, server restarts and a
 * deleted consumer. A message that can never be handled goes to the dead-letter
 * stream (deadLetter.ts) with its reason, and never blocks the ones behind it.
 */
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type Consumer,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream'
import { nanos } from '@nats-io/transport-node'
import { decodeJson } from './codec.ts'
import { RECEIVED_HEADER } from './headers.ts'

/** Delivery is one message handed to a consume handler, which must settle it with ack, nak, term or deadLetter. */
export interface Delivery<T> {
  data: T
  subject: string
  /** stream sequence */
  seq: number
  redelivered: boolean
  /** how many times the server has delivered this message, this time included */
  tries: number
  /** how many messages were still waiting for this consumer behind this one when it was delivered */
  pending: number
  /**
   * receivedAt is when the message reached the bus, on the platform clock: the
   * Jiancha-Received header its publisher set, else JetStream's own (wall-clock) stamp.
   */
  receivedAt: number
  ack(): void
  /** nak asks for redelivery, after delayMs when given. */
  nak(delayMs?: number): void
  /** term drops the message for good. */
  term(): void
  /** deadLetter copies the message to the dead-letter stream with its reason, then terms it; the caller logs it. */
  deadLetter(reason: string): Promise<void>
  /** working tells the server the message is still being handled, restarting its ack_wait. */
  working(): void
  /** settled tells whether one of ack, nak, term or deadLetter was called. */
  readonly settled: boolean
}

/** ConsumeOptions tunes a durable consumer. */
export interface ConsumeOptions {
  /** Redelivery after this long without ack (default 30 s). */
  ackWaitMs?: number
  /** Deliveries before the server gives up on a message (default unlimited). */
  maxDeliver?: number
  /** Messages pulled at once (default 10); a batch handler gets up to this many together. */
  batch?: number
  /** Messages delivered and not yet acked that the server allows (the server's default when not given). */
  maxAckPending?: number
}

/** ConsumerSpec names the durable consumer to run. */
export interface ConsumerSpec {
  stream: string
  durable: string
  filterSubject?: string
}

/** DeadLetter is what the dead-letter stream keeps of a message: the message itself and why it was given up. */
export interface DeadLetter {
  stream: string
  consumer: string
  subject: string
  seq: number
  tries: number
  error: string
  data: Uint8Array
  headers: Record<string, string>
}

/** ConsumerDeps are the collaborators a consumer loop needs. */
export interface ConsumerDeps {
  js: JetStreamClient
  jsm: JetStreamManager
  log: (m: string) => void
  /** isClosed reports that the connection is gone for good, which ends the loop. */
  isClosed: () => boolean
  /** whenConnected waits (at most ms) for the connection to be up; requests sent while down are lost. */
  whenConnected?: (ms: number) => Promise<boolean>
  /** sendDead stores a dead letter; without it a dead letter is only logged and termed. */
  sendDead?: (d: DeadLetter) => Promise<void>
}

/** ConsumerHandle stops a running consumer loop. */
export interface ConsumerHandle {
  /**
   * stop lets the handler in flight finish, waits for the open pull to end (up to 1 s),
   * naks prefetched but unhandled messages so they come back at once, and ends the loop.
   */
  stop(): Promise<void>
}

/** HANDLER_ERROR_NAK_MS is the redelivery delay after a handler throws. */
export const HANDLER_ERROR_NAK_MS = 1000

const CONSUMER_NOT_FOUND = 10014
// Short pulls bound how long stop() waits for the open pull to end (1 s is the nats.js minimum).
const FETCH_EXPIRES_MS = 1000
// A batch goes to its handler once the server says nothing is waiting behind its last
// message, or when no message came for this long (a pull held back by max_ack_pending).
const BATCH_IDLE_MS = 20
const MAX_BACKOFF_MS = 5000

/** consumerConfig is the durable consumer configuration for a spec and options. */
export function consumerConfig(spec: ConsumerSpec, opts: ConsumeOptions = {}): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(opts.ackWaitMs ?? 30_000),
    max_deliver: opts.maxDeliver ?? -1,
    ...(opts.maxAckPending ? { max_ack_pending: opts.maxAckPending } : {}),
    // Omitted, not "": nats.js puts the filter into the create subject, and a
    // trailing "." there gets "no responders" (reported as "jetstream is not enabled").
    ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
  }
}

// "No filter" has three spellings once it has been through the server.
const sameFilter = (a: string | undefined, b: string | undefined): boolean =>
  (!a || a === '>' ? '' : a) === (!b || b === '>' ? '' : b)

/** ensureConsumer creates the durable consumer, or updates the settings that changed. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  spec: ConsumerSpec,
  opts: ConsumeOptions = {},
): Promise<ConsumerInfo> {
  const want = consumerConfig(spec, opts)
  let have: ConsumerInfo
  try {
    have = await jsm.consumers.info(spec.stream, spec.durable)
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === CONSUMER_NOT_FOUND)) throw err
    return jsm.consumers.add(spec.stream, want)
  }
  const c = have.config
  const same =
    c.ack_wait === want.ack_wait &&
    c.max_deliver === want.max_deliver &&
    (want.max_ack_pending === undefined || c.max_ack_pending === want.max_ack_pending) &&
    sameFilter(c.filter_subject, want.filter_subject)
  if (same) return have
  return jsm.consumers.update(spec.stream, spec.durable, {
    ack_wait: want.ack_wait,
    max_deliver: want.max_deliver,
    ...(want.max_ack_pending === undefined ? {} : { max_ack_pending: want.max_ack_pending }),
    // An update merges into the old config, so dropping a filter needs ">" explicitly.
    filter_subject: want.filter_subject ?? '>',
  })
}

/**
 * runConsumer starts the consume loop for spec and awaits `handler` for one message at
 * a time in stream order; a handler that throws has its message nak'ed for a retry.
 */
export function runConsumer<T>(
  deps: ConsumerDeps,
  spec: ConsumerSpec,
  handler: (d: Delivery<T>) => Promise<void>,
  opts: ConsumeOptions = {},
): ConsumerHandle {
  const name = `${spec.stream}/${spec.durable}`
  return runBatchConsumer<T>(
    deps,
    spec,
    async (batch, active) => {
      for (const d of batch) {
        if (!active()) return // the rest are nak'ed, to come back at once
        try {
          await handler(d)
        } catch (err) {
          deps.log(`consumer ${name}: handler failed on seq ${d.seq} (${d.subject}): ${(err as Error)?.message ?? err}; nak ${HANDLER_ERROR_NAK_MS} ms`)
          d.nak(HANDLER_ERROR_NAK_MS)
        }
      }
    },
    opts,
  )
}

/**
 * runBatchConsumer starts the consume loop for spec and awaits `handler` for one batch
 * at a time (up to opts.batch messages, in stream order). The handler settles each
 * delivery; what it leaves unsettled is nak'ed to come back at once. A handler that
 * throws has its unsettled deliveries nak'ed after a delay, and the loop backs off
 * (exponentially, up to 5 s) before it pulls again. `active` turns false on stop.
 */
export function runBatchConsumer<T>(
  deps: ConsumerDeps,
  spec: ConsumerSpec,
  handler: (batch: Delivery<T>[], active: () => boolean) => Promise<void>,
  opts: ConsumeOptions = {},
): ConsumerHandle {
  const name = `${spec.stream}/${spec.durable}`
  const max = opts.batch ?? 10
  let stopping = false
  let failures = 0
  let handlerFailures = 0
  let wake = (): void => {}
  const active = (): boolean => !stopping && !deps.isClosed()

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(t)
        resolve()
      }
    })

  const handle = async (msgs: JsMsg[]): Promise<void> => {
    const batch: Delivery<T>[] = []
    for (const m of msgs) {
      const d = toDelivery<T>(m, spec, deps, name)
      if (d) batch.push(d)
    }
    if (!batch.length) return
    try {
      await handler(batch, active)
      handlerFailures = 0
    } catch (err) {
      const delay = Math.min(MAX_BACKOFF_MS, HANDLER_ERROR_NAK_MS * 2 ** handlerFailures++)
      deps.log(`consumer ${name}: batch of ${batch.length} from seq ${batch[0]!.seq} failed: ${(err as Error)?.message ?? err}; retrying in ${delay} ms`)
      for (const d of batch) if (!d.settled) d.nak(delay)
      if (active()) await pause(delay)
      return
    }
    for (const d of batch) if (!d.settled) d.nak()
  }

  // One short fetch at a time, never consume(): consume() keeps refill pulls
  // queued, and after stop they still reach the server with a dead inbox, so
  // messages vanish into them until ack_wait. A fetch that runs out is over on
  // the server too, so nothing is left behind.
  const pullOnce = async (consumer: Consumer): Promise<void> => {
    const leftovers: JsMsg[] = []
    let buf: JsMsg[] = []
    try {
      const fetched = await consumer.fetch({ max_messages: max, expires: FETCH_EXPIRES_MS })
      const it = fetched[Symbol.asyncIterator]()
      // A next() that lost a race against the idle timer is still the next message.
      let next: Promise<IteratorResult<JsMsg>> | null = null
      for (;;) {
        next ??= it.next()
        const r = buf.length ? await raceIdle(next, BATCH_IDLE_MS) : await next
        if (r === IDLE) {
          // Nothing more for now: hand over what came, then go on reading this pull.
          const b = buf
          buf = []
          if (active()) await handle(b)
          else leftovers.push(...b)
          continue
        }
        next = null
        if (r.done) break
        const m = r.value
        if (!active()) {
          leftovers.push(m)
          continue
        }
        buf.push(m)
        if (buf.length >= max || m.info.pending === 0) {
          const b = buf
          buf = []
          await handle(b)
        }
      }
      if (buf.length) {
        if (active()) await handle(buf)
        else leftovers.push(...buf)
      }
      failures = 0
    } finally {
      // Hand back what was pulled but not handled (also when the pull failed midway:
      // otherwise it would wait out ack_wait), now that no pull of ours is open.
      for (const m of [...leftovers, ...buf]) nakQuietly(m)
    }
  }

  const loop = (async () => {
    while (active()) {
      try {
        if (deps.whenConnected && !(await deps.whenConnected(MAX_BACKOFF_MS))) continue
        const consumer = deps.js.consumers.getConsumerFromInfo(await ensureConsumer(deps.jsm, spec, opts))
        while (active()) await pullOnce(consumer)
      } catch (err) {
        if (!active()) break
        deps.log(`consumer ${name}: ${(err as Error)?.message ?? err}; retrying`)
        await pause(Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures++))
      }
    }
  })()

  return {
    stop: async () => {
      stopping = true
      wake()
      await loop
    },
  }
}

const IDLE = Symbol('idle')

/** raceIdle resolves with `next`, or IDLE when it has not settled within ms. */
function raceIdle<R>(next: Promise<R>, ms: number): Promise<R | typeof IDLE> {
  let timer: NodeJS.Timeout | undefined
  const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(() => resolve(IDLE), ms)))
  return Promise.race([next, idle]).finally(() => clearTimeout(timer))
}

function nakQuietly(m: JsMsg): void {
  try {
    m.nak()
  } catch {
    // connection already closed: the server redelivers after ack_wait anyway
  }
}

/** headersOf copies a message's headers into a plain object (first value of each). */
export function headersOf(m: JsMsg): Record<string, string> {
  const out: Record<string, string> = {}
  const h = m.headers
  if (!h) return out
  for (const k of h.keys()) out[k] = h.get(k)
  return out
}

/** toDelivery decodes a message, or sends it to the dead letters when it is not JSON (null then). */
function toDelivery<T>(m: JsMsg, spec: ConsumerSpec, deps: ConsumerDeps, name: string): Delivery<T> | null {
  let settled = false
  const once = (fn: () => void) => (): void => {
    if (settled) return
    settled = true
    fn()
  }
  const info = m.info
  // Logged by whoever gives the message up, once: the handler knows what the message is.
  const deadLetter = async (reason: string): Promise<void> => {
    if (settled) return
    await deps.sendDead?.({
      stream: spec.stream, consumer: spec.durable, subject: m.subject, seq: m.seq, tries: info.deliveryCount, error: reason, data: m.data, headers: headersOf(m),
    })
    // No reason text: server 2.9 only understands a bare "+TERM" and ignores "+TERM <reason>".
    once(() => m.term())()
  }
  let data: T
  try {
    data = decodeJson<T>(m.data)
  } catch (err) {
    // A poison message would otherwise be redelivered forever and block the order.
    const reason = `non-JSON message seq ${m.seq} on ${m.subject}: ${(err as Error).message}`
    deps.log(`consumer ${name}: dead letter seq ${m.seq} (${m.subject}) after ${info.deliveryCount} ${info.deliveryCount === 1 ? 'try' : 'tries'}: ${reason}`)
    void deadLetter(reason).catch((e: unknown) => {
      deps.log(`consumer ${name}: could not store dead letter seq ${m.seq}: ${(e as Error).message}; it comes back`)
      once(() => m.nak(HANDLER_ERROR_NAK_MS))()
    })
    return null
  }
  const stamp = m.headers?.get(RECEIVED_HEADER)
  const received = stamp ? Date.parse(stamp) : NaN
  return {
    data,
    subject: m.subject,
    seq: m.seq,
    redelivered: m.redelivered,
    tries: info.deliveryCount,
    pending: info.pending,
    receivedAt: Number.isNaN(received) ? Math.floor(info.timestampNanos / 1e6) : received,
    ack: once(() => m.ack()),
    nak: (delayMs?: number) => once(() => m.nak(delayMs))(),
    term: once(() => m.term()),
    deadLetter,
    working: () => {
      if (!settled) m.working()
    },
    get settled() {
      return settled
    },
  }
}
