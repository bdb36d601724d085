/**
 * Bus is the one door every Jiancha component uses to NATS: persisted, de-duplicated
 * publishing to the JetStream streams, ordered durable consumption, and core-NATS
 * live fan-out for screens.
 */
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { decodeJson, encodeJson } from './codec.ts'
import { ConnectionGate } from './connectionGate.ts'
import { runConsumer, type ConsumeOptions, type ConsumerHandle, type Delivery } from './consumer.ts'
import { isTransientNatsError, withRetry } from './retry.ts'
import { ensureStreams } from './streams.ts'
import { liveSubject } from './subjects.ts'

export type { ConsumeOptions, Delivery } from './consumer.ts'

/** BusOptions configures Bus.connect. */
export interface BusOptions {
  url: string
  /** Connection name shown by the server (e.g. "rules", "collector"). */
  name: string
  /** De-duplication window of the streams (default 24 h). */
  duplicateWindowMs?: number
  log?: (m: string) => void
}

/** PublishResult is the stream's acknowledgement of a publish. */
export interface PublishResult {
  seq: number
  /** duplicate is true when the msgId was already stored within the window; seq is then the original's. */
  duplicate: boolean
}

const PUBLISH_TIMEOUT_MS = 5000
const PUBLISH_ATTEMPTS = 5

/** PublishOptions bound a publish: within budgetMs it is stored or fails (default: five tries of up to 5 s). */
export interface PublishOptions {
  budgetMs?: number
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

/** Bus is a connection to NATS with the Jiancha streams ensured. */
export class Bus {
  private readonly consumers = new Set<ConsumerHandle>()
  private readonly gate = new ConnectionGate()
  private closing: Promise<void> | null = null

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly log: (m: string) => void,
  ) {}

  /** connect opens a self-reconnecting connection and creates or updates the streams. */
  static async connect(opts: BusOptions): Promise<Bus> {
    const log = opts.log ?? ((m: string) => console.warn(`[bus ${opts.name}] ${m}`))
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
    // Headroom for the subject and the Nats-Msg-Id header, which count against the limit too.
    if (payload.length + subject.length + msgId.length + 64 > this.maxPayload) throw new PayloadTooLargeError(payload.length, this.maxPayload)
    const deadline = opts.budgetMs === undefined ? Infinity : Date.now() + opts.budgetMs
    const left = () => Math.max(1, Math.min(PUBLISH_TIMEOUT_MS, deadline - Date.now()))
    const attempt = async () => {
      // Sent while disconnected, the request would be dropped and only time out.
      const wait = left()
      if (!(await this.gate.whenConnected(wait)) && deadline !== Infinity) throw new NotConnectedError(wait)
      return this.js.publish(subject, payload, { msgID: msgId, timeout: left() })
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
    const handle = runConsumer<T>(
      {
        js: this.js,
        jsm: this.jsm,
        log: this.log,
        isClosed: () => this.nc.isClosed(),
        whenConnected: (ms) => this.gate.whenConnected(ms),
      },
      { stream, durable, filterSubject },
      handler,
      opts,
    )
    this.consumers.add(handle)
    let stopped: Promise<void> | null = null
    return {
      stop: () =>
        (stopped ??= handle.stop().finally(() => this.consumers.delete(handle))),
    }
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

  /** flush resolves once the server has processed everything sent so far (e.g. a new live subscription). */
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
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error' || s.type === 'slowConsumer') {
        this.log(`connection ${s.type}${'server' in s ? ` ${s.server}` : ''}`)
      }
    }
  }
}
