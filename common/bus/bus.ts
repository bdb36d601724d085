/**
 * Bus is the one door every Jiancha component uses to NATS: persisted, de-duplicated
 * publishing to the JetStream streams, ordered durable consumption, and core-NATS
 * live fan-out for screens.
 */
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream'
import { connect, headers as natsHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node'
import { decodeJson, encodeJson } from './codec.ts'
import { ConnectionGate } from './connectionGate.ts'
import { runBatchConsumer, runConsumer, type ConsumeOptions, type ConsumerDeps, type ConsumerHandle, type DeadLetter, type Delivery } from './consumer.ts'
import { recentDeadLetters, type StoredDeadLetter } from './deadLetters.ts'
import { DEAD_HEADERS, headerValue, RECEIVED_HEADER } from './headers.ts'
import { isTransientNatsError, withRetry } from './retry.ts'
import { DEAD_STREAM, ensureStreams } from './streams.ts'
import { deadSubject, liveSubject } from './subjects.ts'

export type { ConsumeOptions, Delivery } from './consumer.ts'

/** BusOptions configures Bus.connect. */
export interface BusOptions {
  url: string
  /** Connection name shown by the server (e.g. "rules", "collector"). */
  name: string
  /** De-duplication window of the streams (default 24 h). */
  duplicateWindowMs?: number
  log?: (m: string) => void
  /** connect gives up trying when this is aborted (it tries until the server is there otherwise) */
  signal?: AbortSignal
}

/** CONNECT_MAX_BACKOFF_MS caps the wait between two tries to reach the server at start. */
export const CONNECT_MAX_BACKOFF_MS = 3000

/** PublishResult is the stream's acknowledgement of a publish. */
export interface PublishResult {
  seq: number
  /** duplicate is true when the msgId was already stored within the window; seq is then the original's. */
  duplicate: boolean
}

const PUBLISH_TIMEOUT_MS = 5000
const PUBLISH_ATTEMPTS = 5

/** PublishOptions bound a publish (within budgetMs it is stored or fails; default: five tries of up to 5 s) and add headers. */
export interface PublishOptions {
  budgetMs?: number
  /** headers to store with the message, besides the message id */
  headers?: Record<string, string>
}

/** PayloadTooLargeError is a message bigger than the server takes: sending it again cannot help. */
export class PayloadTooLargeError extends Error {
  constructor(readonly bytes: number, readonly max: number) {
    super(`the message is ${bytes} bytes; the bus takes at most ${max}`)
    this.name = 'PayloadTooLargeError'
  }
}

/** NotConnectedError is a publish that found no connection within its budget. */
export class NotConnectedError extends Error {
  constructor(ms: number) {
    super(`the bus is not connected (waited ${ms} ms)`)
    this.name = 'NotConnectedError'
  }
}

/** ConsumerState is how far a durable consumer is (see Bus.consumerState). */
export interface ConsumerState {
  pending: number
  ackPending: number
  ackFloor: number
  delivered: number
}

/** BusConnection is the connection's state: up, or down since when (epoch ms) and the last thing the client said about it. */
export type BusConnection = { up: true } | { up: false; since: number; error: string }

/** Bus is a connection to NATS with the Jiancha streams ensured. */
export class Bus {
  private readonly consumers = new Set<ConsumerHandle>()
  private readonly gate = new ConnectionGate()
  private closing: Promise<void> | null = null
  /** when the connection was lost, and what the client said since; for health reports */
  private lost: { since: number; error: string } | null = null

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly log: (m: string) => void,
  ) {}

  /**
   * connect opens a self-reconnecting connection and creates or updates the streams.
   * Until the server is there (or its JetStream ready) it tries again, saying so in the
   * log each time, with a backoff capped at CONNECT_MAX_BACKOFF_MS; it gives up only
   * when opts.signal is aborted.
   */
  static async connect(opts: BusOptions): Promise<Bus> {
    const log = opts.log ?? ((m: string) => console.warn(`[bus ${opts.name}] ${m}`))
    for (let attempt = 1; ; attempt++) {
      opts.signal?.throwIfAborted()
      try {
        return await Bus.connectOnce(opts, log)
      } catch (err) {
        if (opts.signal?.aborted) throw err
        const delayMs = Math.min(CONNECT_MAX_BACKOFF_MS, 250 * 2 ** (attempt - 1))
        log(`cannot reach NATS at ${opts.url} (attempt ${attempt}: ${(err as Error).message}); trying again in ${delayMs} ms`)
        await abortableSleep(delayMs, opts.signal)
      }
    }
  }

  private static async connectOnce(opts: BusOptions, log: (m: string) => void): Promise<Bus> {
    const nc = await connect({
      servers: opts.url,
      name: opts.name,
      maxReconnectAttempts: -1, // a component outlives any server restart
      reconnectTimeWait: 500,
    })
    try {
      const jsm = await jetstreamManager(nc)
      await ensureStreams(jsm, { duplicateWindowMs: opts.duplicateWindowMs })
      const bus = new Bus(nc, jetstream(nc), jsm, log)
      void bus.watchConnection()
      return bus
    } catch (err) {
      await nc.close()
      throw err
    }
  }

  /** connected tells whether the connection is up now (false while reconnecting, and once closed). */
  get connected(): boolean {
    return !this.nc.isClosed() && this.gate.isConnected()
  }

  /** connection tells whether the connection is up, or since when it is down and why (for health reports). */
  get connection(): BusConnection {
    if (this.connected) return { up: true }
    if (this.nc.isClosed()) return { up: false, since: this.lost?.since ?? Date.now(), error: 'the connection is closed' }
    return { up: false, since: this.lost?.since ?? Date.now(), error: this.lost?.error ?? 'disconnected' }
  }

  /** maxPayload is the largest message the server takes, in bytes (1 MiB unless the server says otherwise). */
  get maxPayload(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024
  }

  /**
   * publish stores data as JSON on a stream subject, de-duplicated by msgId, retrying
   * transient failures within the budget. A message over maxPayload fails at once
   * with PayloadTooLargeError.
   */
  async publish(subject: string, data: unknown, msgId: string, opts: PublishOptions = {}): Promise<PublishResult> {
    const payload = encodeJson(data)
    const hdrs = opts.headers ? toHeaders(opts.headers) : undefined
    const extra = opts.headers ? Object.entries(opts.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0) : 0
    // Headroom for the subject and the Nats-Msg-Id header, which count against the limit too.
    if (payload.length + subject.length + msgId.length + extra + 64 > this.maxPayload) throw new PayloadTooLargeError(payload.length, this.maxPayload)
    const deadline = opts.budgetMs === undefined ? Infinity : Date.now() + opts.budgetMs
    const left = () => Math.max(1, Math.min(PUBLISH_TIMEOUT_MS, deadline - Date.now()))
    const attempt = async () => {
      // Sent while disconnected, the request would be dropped and only time out.
      const wait = left()
      if (!(await this.gate.whenConnected(wait)) && deadline !== Infinity) throw new NotConnectedError(wait)
      return this.js.publish(subject, payload, { msgID: msgId, timeout: left(), ...(hdrs ? { headers: hdrs } : {}) })
    }
    const ack = await withRetry(attempt, {
      attempts: PUBLISH_ATTEMPTS,
      isRetryable: (e) => Date.now() < deadline && isTransientNatsError(e),
      onRetry: (err, attempt, delayMs) =>
        this.log(`publish ${subject} attempt ${attempt} failed (${(err as Error).message}); retry in ${delayMs} ms`),
    })
    return { seq: ack.seq, duplicate: ack.duplicate }
  }

  /**
   * consume runs durable consumer `durable` on `stream` and awaits `handler` for one
   * message at a time in stream order; the handler acks, naks or terms each delivery.
   */
  consume<T>(
    stream: string,
    durable: string,
    filterSubject: string | undefined,
    handler: (d: Delivery<T>) => Promise<void>,
    opts?: ConsumeOptions,
  ): { stop(): Promise<void> } {
    return this.track(runConsumer<T>(this.consumerDeps(), { stream, durable, filterSubject }, handler, opts))
  }

  /**
   * consumeBatches runs durable consumer `durable` on `stream` and awaits `handler` for
   * one batch at a time (up to opts.batch messages, in stream order): see runBatchConsumer.
   */
  consumeBatches<T>(
    stream: string,
    durable: string,
    filterSubject: string | undefined,
    handler: (batch: Delivery<T>[], active: () => boolean) => Promise<void>,
    opts?: ConsumeOptions,
  ): { stop(): Promise<void> } {
    return this.track(runBatchConsumer<T>(this.consumerDeps(), { stream, durable, filterSubject }, handler, opts))
  }

  /** deadLetters counts the messages kept on the dead-letter stream, of one stream or of all. */
  async deadLetters(stream?: string): Promise<number> {
    if (stream === undefined) return (await this.jsm.streams.info(DEAD_STREAM)).state.messages
    const subject = deadSubject(stream)
    const info = await this.jsm.streams.info(DEAD_STREAM, { subjects_filter: subject })
    return info.state.subjects?.[subject] ?? 0
  }

  /**
   * recentDeadLetters reads the newest `n` dead letters of `stream`, newest first: what
   * befell each (error, consumer, tries, when) and the source and id its message names,
   * never its content.
   */
  recentDeadLetters(stream: string, n: number): Promise<StoredDeadLetter[]> {
    return recentDeadLetters(this.jsm, stream, n)
  }

  private consumerDeps(): ConsumerDeps {
    return {
      js: this.js,
      jsm: this.jsm,
      log: this.log,
      isClosed: () => this.nc.isClosed(),
      whenConnected: (ms) => this.gate.whenConnected(ms),
      sendDead: (d) => this.sendDead(d),
    }
  }

  private track(handle: ConsumerHandle): { stop(): Promise<void> } {
    this.consumers.add(handle)
    let stopped: Promise<void> | null = null
    return {
      stop: () =>
        (stopped ??= handle.stop().finally(() => this.consumers.delete(handle))),
    }
  }

  /** sendDead stores a dead letter: the original bytes and headers, and what befell it in headers of its own. */
  private async sendDead(d: DeadLetter): Promise<void> {
    const h = natsHeaders()
    for (const [k, v] of Object.entries(d.headers)) if (k !== 'Nats-Msg-Id') h.set(k, v)
    h.set(DEAD_HEADERS.stream, d.stream)
    h.set(DEAD_HEADERS.consumer, d.consumer)
    h.set(DEAD_HEADERS.subject, d.subject)
    h.set(DEAD_HEADERS.seq, String(d.seq))
    h.set(DEAD_HEADERS.tries, String(d.tries))
    h.set(DEAD_HEADERS.error, headerValue(d.error))
    // One dead letter per message and consumer, however often it is given up on.
    const msgID = `${d.stream}:${d.consumer}:${d.seq}`
    await withRetry(() => this.js.publish(deadSubject(d.stream), d.data, { msgID, headers: h, timeout: PUBLISH_TIMEOUT_MS }), {
      attempts: PUBLISH_ATTEMPTS,
      isRetryable: isTransientNatsError,
    })
  }

  /** publishLive sends data to the live topic over core NATS: fire and forget, not persisted. */
  publishLive(topic: string, data: unknown): void {
    this.nc.publish(liveSubject(topic), encodeJson(data))
  }

  /** subscribeLive calls fn with every message on a live topic; bad JSON and throwing callbacks are logged. */
  subscribeLive<T>(topic: string, fn: (data: T) => void): { unsubscribe(): void } {
    const subject = liveSubject(topic)
    const sub = this.nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return this.log(`live ${subject}: ${err.message}`)
        let data: T
        try {
          data = decodeJson<T>(msg.data)
        } catch (e) {
          return this.log(`live ${subject}: dropping non-JSON message: ${(e as Error).message}`)
        }
        try {
          fn(data)
        } catch (e) {
          this.log(`live ${subject}: subscriber threw: ${(e as Error).message}`)
        }
      },
    })
    return { unsubscribe: () => sub.unsubscribe() }
  }

  /**
   * backlog counts the messages a durable consumer has yet to finish: not delivered
   * yet, or delivered and not acked. 0 when the consumer does not exist yet.
   */
  async backlog(stream: string, durable: string): Promise<number> {
    try {
      const info = await this.jsm.consumers.info(stream, durable)
      return info.num_pending + info.num_ack_pending
    } catch (e) {
      if (/consumer not found/i.test((e as Error).message)) return 0
      throw e
    }
  }

  /**
   * consumerState tells how far a durable consumer is: messages not delivered yet,
   * delivered and not acked, and the stream sequence up to which every message is
   * acked (ackFloor) and the last one delivered. null when the consumer does not exist.
   */
  async consumerState(stream: string, durable: string): Promise<ConsumerState | null> {
    try {
      const info = await this.jsm.consumers.info(stream, durable)
      return { pending: info.num_pending, ackPending: info.num_ack_pending, ackFloor: info.ack_floor.stream_seq, delivered: info.delivered.stream_seq }
    } catch (e) {
      if (/consumer not found/i.test((e as Error).message)) return null
      throw e
    }
  }

  /**
   * receivedAt reads when the message at `seq` reached the bus (its Jiancha-Received
   * header, else JetStream's stamp), or null when the stream holds no such message.
   */
  async receivedAt(stream: string, seq: number): Promise<number | null> {
    const m = await this.jsm.streams.getMessage(stream, { seq }).catch((e: unknown) => {
      if (/no message found|not found/i.test((e as Error).message)) return null
      throw e
    })
    if (!m) return null
    const stamp = m.header.get(RECEIVED_HEADER)
    const t = stamp ? Date.parse(stamp) : NaN
    return Number.isNaN(t) ? m.time.getTime() : t
  }

  /** flush resolves once the server has processed everything sent so far (e.g. a new live subscription). */
  async flush(): Promise<void> {
    await this.nc.flush()
  }

  /** close stops all consumers (letting handlers in flight finish), then drains the connection; it is idempotent. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await Promise.all([...this.consumers].map((c) => c.stop()))
      if (!this.nc.isClosed()) await this.nc.drain()
    })())
  }

  private async watchConnection(): Promise<void> {
    void this.nc.closed().then(() => this.gate.release())
    for await (const s of this.nc.status()) {
      this.gate.observe(s)
      if (s.type === 'disconnect') this.lost = { since: Date.now(), error: `disconnected from ${s.server}` }
      else if (s.type === 'reconnect') this.lost = null
      else if (s.type === 'error' && this.lost) this.lost.error = s.error.message
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error' || s.type === 'slowConsumer') {
        this.log(`connection ${s.type}${'server' in s ? ` ${s.server}` : ''}`)
      }
    }
  }
}

function toHeaders(h: Record<string, string>): MsgHdrs {
  const out = natsHeaders()
  for (const [k, v] of Object.entries(h)) out.set(k, headerValue(v))
  return out
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
    function done(): void {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
  })
}
