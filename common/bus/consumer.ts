/**
 * A durable JetStream pull consumer run as a loop that hands messages to one
 * async handler strictly one at a time, in stream order, and that keeps going
 * through reconnects, server restarts and a deleted consumer.
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

/** Delivery is one message handed to a consume handler, which must settle it with ack, nak or term. */
export interface Delivery<T> {
  data: T
  subject: string
  /** stream sequence */
  seq: number
  redelivered: boolean
  ack(): void
  /** nak asks for redelivery, after delayMs when given. */
  nak(delayMs?: number): void
  /** term drops the message for good. */
  term(): void
}

/** ConsumeOptions tunes a durable consumer. */
export interface ConsumeOptions {
  /** Redelivery after this long without ack (default 30 s). */
  ackWaitMs?: number
  /** Deliveries before the server gives up on a message (default unlimited). */
  maxDeliver?: number
  /** Messages pulled ahead of the handler (default 10); they are still handled one at a time. */
  batch?: number
}

/** ConsumerSpec names the durable consumer to run. */
export interface ConsumerSpec {
  stream: string
  durable: string
  filterSubject?: string
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
const MAX_BACKOFF_MS = 5000

/** consumerConfig is the durable consumer configuration for a spec and options. */
export function consumerConfig(spec: ConsumerSpec, opts: ConsumeOptions = {}): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(opts.ackWaitMs ?? 30_000),
    max_deliver: opts.maxDeliver ?? -1,
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
    sameFilter(c.filter_subject, want.filter_subject)
  if (same) return have
  return jsm.consumers.update(spec.stream, spec.durable, {
    ack_wait: want.ack_wait,
    max_deliver: want.max_deliver,
    // An update merges into the old config, so dropping a filter needs ">" explicitly.
    filter_subject: want.filter_subject ?? '>',
  })
}

/** runConsumer starts the consume loop for spec and returns a handle to stop it. */
export function runConsumer<T>(
  deps: ConsumerDeps,
  spec: ConsumerSpec,
  handler: (d: Delivery<T>) => Promise<void>,
  opts: ConsumeOptions = {},
): ConsumerHandle {
  const name = `${spec.stream}/${spec.durable}`
  let stopping = false
  let failures = 0
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

  // One short fetch at a time, never consume(): consume() keeps refill pulls
  // queued, and after stop they still reach the server with a dead inbox, so
  // messages vanish into them until ack_wait. A fetch that runs out is over on
  // the server too, so nothing is left behind.
  const pullOnce = async (consumer: Consumer): Promise<void> => {
    const leftovers: JsMsg[] = []
    try {
      const batch = await consumer.fetch({ max_messages: opts.batch ?? 10, expires: FETCH_EXPIRES_MS })
      for await (const m of batch) {
        if (!active()) leftovers.push(m)
        else await deliver(m, handler, name, deps.log)
      }
      failures = 0
    } finally {
      // Hand back what was pulled but not handled, now that no pull of ours is open.
      for (const m of leftovers) nakQuietly(m)
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

function nakQuietly(m: JsMsg): void {
  try {
    m.nak()
  } catch {
    // connection already closed: the server redelivers after ack_wait anyway
  }
}

async function deliver<T>(
  m: JsMsg,
  handler: (d: Delivery<T>) => Promise<void>,
  name: string,
  log: (m: string) => void,
): Promise<void> {
  let data: T
  try {
    data = decodeJson<T>(m.data)
  } catch (err) {
    // A poison message would otherwise be redelivered forever and block the order.
    log(`consumer ${name}: terminating non-JSON message seq ${m.seq} on ${m.subject}: ${(err as Error).message}`)
    // No reason text: server 2.9 only understands a bare "+TERM" and ignores "+TERM <reason>".
    m.term()
    return
  }
  let settled = false
  const settle = (fn: () => void) => (): void => {
    if (settled) return
    settled = true
    fn()
  }
  const d: Delivery<T> = {
    data,
    subject: m.subject,
    seq: m.seq,
    redelivered: m.redelivered,
    ack: settle(() => m.ack()),
    nak: (delayMs?: number) => settle(() => m.nak(delayMs))(),
    term: settle(() => m.term()),
  }
  try {
    await handler(d)
  } catch (err) {
    log(`consumer ${name}: handler failed on seq ${m.seq} (${m.subject}): ${(err as Error)?.message ?? err}; nak ${HANDLER_ERROR_NAK_MS} ms`)
    d.nak(HANDLER_ERROR_NAK_MS)
  }
}
