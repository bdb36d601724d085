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
  /**
   * Batches handed over before the one before has been handled (default 1: one at a
   * time). With 2, the handler gets the next batch while it still works on this one, in
   * stream order, and orders its own stages.
   */
  pipeline?: number
  /** Messages pulled ahead of the batch in hand (default: one batch). */
  prefetch?: number
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
 * at a time (up to opts.batch messages, in stream order), or for opts.pipeline batches
 * at a time, each started in stream order. The handler settles each
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

  // Short fetches, never consume(): consume() keeps refill pulls queued, and after stop
  // they still reach the server with a dead inbox, so messages vanish into them until
  // ack_wait. A fetch that runs out is over on the server too, so nothing is left behind.
  // The fetches run ahead of the handler (up to `ahead` messages waiting in `inbox`), so
  // the next batch is on its way while this one is handled.
  const ahead = opts.prefetch ?? max
  const pipeline = Math.max(1, opts.pipeline ?? 1)
  const inbox: JsMsg[] = []
  let arrived = (): void => {}
  let taken = (): void => {}
  const signal = (set: (wake: () => void) => void, ms?: number): Promise<void> =>
    new Promise((resolve) => {
      const t = ms === undefined ? undefined : setTimeout(resolve, ms)
      set(() => {
        clearTimeout(t)
        resolve()
      })
    })

  /** fill pulls into the inbox until stop, or until a pull fails (thrown). */
  const fill = async (consumer: Consumer): Promise<void> => {
    while (active()) {
      const room = max + ahead - inbox.length
      if (room < max) {
        await signal((w) => (taken = w), FETCH_EXPIRES_MS)
        continue
      }
      const fetched = await consumer.fetch({ max_messages: room, expires: FETCH_EXPIRES_MS })
      for await (const m of fetched) {
        inbox.push(m)
        arrived()
      }
      failures = 0
    }
  }

  /**
   * nextBatch waits for the next batch: up to `max` messages, handed over once the
   * server says nothing waits behind the last, or when none came for BATCH_IDLE_MS
   * (a pull held back by max_ack_pending). Null once the inbox is empty and filling ended.
   */
  const nextBatch = async (filling: () => boolean): Promise<JsMsg[] | null> => {
    while (!inbox.length) {
      if (!filling() || !active()) return null
      await signal((w) => (arrived = w), FETCH_EXPIRES_MS)
    }
    while (inbox.length < max && inbox[inbox.length - 1]!.info.pending > 0 && filling() && active()) {
      const had = inbox.length
      await signal((w) => (arrived = w), BATCH_IDLE_MS)
      if (inbox.length === had) break
    }
    const b = inbox.splice(0, max)
    taken()
    return b
  }

  const pull = async (consumer: Consumer): Promise<void> => {
    let filling = true
    let failed: unknown = null
    const filled = fill(consumer)
      .catch((e: unknown) => void (failed = e))
      .finally(() => {
        filling = false
        arrived()
      })
    // Messages waiting in the inbox keep their ack_wait from running out under a slow handler.
    const keepAlive = setInterval(() => {
      try {
        for (const m of inbox) m.working()
      } catch {
        // connection closed: they come back after ack_wait anyway
      }
    }, Math.max(1000, (opts.ackWaitMs ?? 30_000) / 3))
    const inFlight = new Set<Promise<void>>()
    try {
      for (;;) {
        const b = await nextBatch(() => filling)
        if (!b) break
        const handled: Promise<void> = handle(b).finally(() => inFlight.delete(handled))
        inFlight.add(handled)
        if (inFlight.size >= pipeline) await Promise.race(inFlight)
      }
    } finally {
      await Promise.all(inFlight)
      clearInterval(keepAlive)
      await filled
      // Hand back what was pulled but not handled (also when a pull failed midway:
      // otherwise it would wait out ack_wait), now that no pull of ours is open.
      for (const m of inbox.splice(0)) nakQuietly(m)
    }
    if (failed !== null) throw failed
  }

  const loop = (async () => {
    while (active()) {
      try {
        if (deps.whenConnected && !(await deps.whenConnected(MAX_BACKOFF_MS))) continue
        const consumer = deps.js.consumers.getConsumerFromInfo(await ensureConsumer(deps.jsm, spec, opts))
        await pull(consumer)
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
  let data: T
  try {
    data = decodeJson<T>(m.data)
  } catch (err) {
    // A poison message would otherwise be redelivered forever and block the order.
    const d = new MessageDelivery<null>(m, null, spec, deps)
    const reason = `non-JSON message seq ${m.seq} on ${m.subject}: ${(err as Error).message}`
    deps.log(`consumer ${name}: dead letter seq ${m.seq} (${m.subject}) after ${d.tries} ${d.tries === 1 ? 'try' : 'tries'}: ${reason}`)
    void d.deadLetter(reason).catch((e: unknown) => {
      deps.log(`consumer ${name}: could not store dead letter seq ${m.seq}: ${(e as Error).message}; it comes back`)
      d.nak(HANDLER_ERROR_NAK_MS)
    })
    return null
  }
  return new MessageDelivery<T>(m, data, spec, deps)
}

/**
 * MessageDelivery is a Delivery of one JetStream message, settled at most once. A class,
 * not closures: thousands are made a second, and each closure was an allocation.
 */
class MessageDelivery<T> implements Delivery<T> {
  readonly subject: string
  readonly seq: number
  readonly redelivered: boolean
  readonly tries: number
  readonly pending: number
  readonly receivedAt: number
  private done = false

  constructor(
    private readonly m: JsMsg,
    readonly data: T,
    private readonly spec: ConsumerSpec,
    private readonly deps: ConsumerDeps,
  ) {
    const info = m.info
    this.subject = m.subject
    this.seq = m.seq
    this.redelivered = m.redelivered
    this.tries = info.deliveryCount
    this.pending = info.pending
    const stamp = m.headers?.get(RECEIVED_HEADER)
    const received = stamp ? Date.parse(stamp) : NaN
    this.receivedAt = Number.isNaN(received) ? Math.floor(info.timestampNanos / 1e6) : received
  }

  get settled(): boolean {
    return this.done
  }

  ack(): void {
    if (this.settle()) this.m.ack()
  }

  nak(delayMs?: number): void {
    if (this.settle()) this.m.nak(delayMs)
  }

  term(): void {
    if (this.settle()) this.m.term()
  }

  working(): void {
    if (!this.done) this.m.working()
  }

  // Logged by whoever gives the message up, once: the handler knows what the message is.
  async deadLetter(reason: string): Promise<void> {
    if (this.done) return
    const m = this.m
    await this.deps.sendDead?.({
      stream: this.spec.stream, consumer: this.spec.durable, subject: m.subject, seq: m.seq, tries: this.tries, error: reason, data: m.data, headers: headersOf(m),
    })
    // No reason text: server 2.9 only understands a bare "+TERM" and ignores "+TERM <reason>".
    this.term()
  }

  private settle(): boolean {
    if (this.done) return false
    this.done = true
    return true
  }
}
