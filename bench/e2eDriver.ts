/**
 * What bench:e2e does to a running platform: a source posting to the collector, and a
 * dashboard reader (socket.io-client, signed in) noting when each event's card is
 * announced. Two loads: as fast as the pipeline takes them (a bounded number of events
 * awaiting their card), and a fixed offered rate for the event-to-card latency.
 */
import { io, type Socket } from 'socket.io-client'
import type { CaseEvent } from '../common/contract/index.ts'
import { cardEvents, summarize, type Summary } from './e2eLoad.ts'

/** Target is a running platform: where to post, as whom, and where its dashboard is. */
export interface Target {
  collectorUrl: string
  token: string
  dashboardUrl: string
}

/** signIn signs a user in on the dashboard and returns the Cookie header a browser would send. */
export async function signIn(dashboardUrl: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${dashboardUrl}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  if (r.status !== 200) throw new Error(`sign-in of ${username} on ${dashboardUrl} failed: HTTP ${r.status} ${await r.text()}`)
  return (r.headers.get('set-cookie') ?? '').split(';')[0]!
}

/** CardWatch is the signed-in dashboard socket: it times each announced card against its event's post. */
export class CardWatch {
  /** announced is how many cards of the bench's events arrived */
  announced = 0
  /** lastAt is performance.now() of the latest */
  lastAt = 0
  private posted = new Map<string, number>()
  private latencies: number[] = []
  private waiters: Array<() => void> = []

  private constructor(private socket: Socket) {
    socket.on('alert', (a: { caseId?: string }) => {
      const t = performance.now()
      const at = a.caseId === undefined ? undefined : this.posted.get(a.caseId)
      if (at === undefined) return
      this.posted.delete(a.caseId!)
      this.latencies.push(t - at)
      this.announced++
      this.lastAt = t
      for (const w of this.waiters.splice(0)) w()
    })
  }

  /** open connects to the dashboard as the browser does (WebSocket, session cookie) and waits until connected. */
  static async open(dashboardUrl: string, cookie: string): Promise<CardWatch> {
    const socket = io(dashboardUrl, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', (e) => reject(new Error(`the dashboard's socket refused the bench: ${e.message}`)))
    })
    return new CardWatch(socket)
  }

  /** expect notes that these events were posted at instant t (performance.now()). */
  expect(events: readonly CaseEvent[], t: number): void {
    for (const e of events) if (!this.posted.has(e.caseId)) this.posted.set(e.caseId, t)
  }

  /** takeLatencies hands over the latencies gathered since the last call. */
  takeLatencies(): number[] {
    return this.latencies.splice(0)
  }

  /** forget ends a load: cards of its events that come later are not counted in the next. */
  forget(): number {
    const n = this.posted.size
    this.posted.clear()
    return n
  }

  /** waiting is how many posted events have no card yet. */
  get waiting(): number {
    return this.posted.size
  }

  /** until resolves when fewer than `most` events wait for their card, or at the deadline (performance.now()). */
  async until(most: number, deadline: number): Promise<void> {
    while (this.posted.size > most && performance.now() < deadline) {
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.max(1, Math.min(200, deadline - performance.now())))
        this.waiters.push(() => {
          clearTimeout(timer)
          r()
        })
      })
    }
  }

  close(): void {
    this.socket.close()
  }
}

/** postAll posts the events as one request, sending again what was not stored (503, 429, a reset) until the deadline. */
export async function postAll(t: Target, events: readonly CaseEvent[], deadline: number): Promise<{ requests: number; refused: number }> {
  let todo = events
  let requests = 0
  let refused = 0
  while (todo.length) {
    if (performance.now() > deadline) throw new Error(`the collector did not take ${todo.length} events before the deadline (${requests} requests, ${refused} refused)`)
    requests++
    let res: Response | null = null
    try {
      res = await fetch(`${t.collectorUrl}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(todo),
        signal: AbortSignal.timeout(10_000),
      })
    } catch {
      res = null
    }
    if (!res || (res.status !== 200 && res.status !== 503)) {
      if (res && res.status !== 429) throw new Error(`the collector answered HTTP ${res.status}: ${await res.text()}`)
      refused++
      const wait = Number(res?.headers.get('retry-after') ?? '0.2') * 1000
      await res?.arrayBuffer()
      await new Promise((r) => setTimeout(r, Math.min(wait, 1000)))
      continue
    }
    const body = (await res.json()) as { results: Array<{ index: number; status: string; error?: unknown }> }
    const again: CaseEvent[] = []
    for (const x of body.results) {
      if (x.status === 'rejected') throw new Error(`the collector rejected ${JSON.stringify(todo[x.index])}: ${JSON.stringify(x.error)}`)
      if (x.status === 'failed') again.push(todo[x.index]!)
    }
    if (again.length) refused++
    todo = again
  }
  return { requests, refused }
}

/** SustainedResult is what the as-fast-as-it-goes load saw. */
export interface SustainedResult {
  /** the events posted, in order: the raw limits are measured on the same ones */
  events: CaseEvent[]
  cards: number
  /** events whose card did not come within the wait after the load */
  missing: number
  /** from the first post to the last card announced */
  seconds: number
  eventsPerSecond: number
  requests: number
  refused: number
}

/**
 * sustained posts batches from `concurrency` senders for `seconds`, each waiting while
 * `window` events or more await their card, then waits for the last cards. The rate is
 * cards announced over the time from the first post to the last card.
 */
export async function sustained(t: Target, watch: CardWatch, o: { prefix: string; seconds: number; batch: number; concurrency: number; window: number; waitSeconds: number }): Promise<SustainedResult> {
  const events: CaseEvent[] = []
  const before = watch.announced
  const t0 = performance.now()
  const stopAt = t0 + o.seconds * 1000
  let requests = 0
  let refused = 0
  const sender = async () => {
    while (performance.now() < stopAt) {
      await watch.until(Math.max(0, o.window - o.batch), stopAt)
      if (performance.now() >= stopAt) break
      const batch = cardEvents(o.prefix, events.length, o.batch, Date.now())
      events.push(...batch)
      watch.expect(batch, performance.now())
      const r = await postAll(t, batch, stopAt + o.waitSeconds * 1000)
      requests += r.requests
      refused += r.refused
    }
  }
  await Promise.all(Array.from({ length: o.concurrency }, sender))
  await watch.until(0, performance.now() + o.waitSeconds * 1000)
  const missing = watch.forget()
  const cards = watch.announced - before
  watch.takeLatencies()
  const seconds = ((cards ? watch.lastAt : performance.now()) - t0) / 1000
  return { events, cards, missing, seconds, eventsPerSecond: Math.round(cards / seconds), requests, refused }
}

/** LatencyResult is what the fixed-rate load saw. */
export interface LatencyResult {
  offeredPerSecond: number
  /** the rate the bench managed to post at */
  postedPerSecond: number
  events: number
  cards: number
  /** events whose card did not come within the wait after the load: beyond every percentile below */
  missing: number
  /** events whose post the collector had not answered (stored) when the wait ended; their cards count if they came */
  unanswered: number
  /** post to Socket.IO announcement, ms, of the cards that came */
  eventToCard: Summary
  /** post to the collector's answer (stored on JetStream), ms */
  collectorAnswer: Summary
}

/**
 * atRate posts `rate` events a second for `seconds` (a request every `tickMs` with the
 * events due by then, not waiting for answers) and times each event's card from the
 * start of its request to its announcement on the socket.
 */
export async function atRate(t: Target, watch: CardWatch, o: { prefix: string; rate: number; seconds: number; waitSeconds: number; tickMs?: number }): Promise<LatencyResult> {
  const tick = o.tickMs ?? 10
  const before = watch.announced
  watch.takeLatencies()
  const answers: number[] = []
  const inFlight: Array<Promise<unknown>> = []
  let sent = 0
  let unanswered = 0
  const t0 = performance.now()
  const end = t0 + o.seconds * 1000
  for (let now = t0; now < end; now = performance.now()) {
    const due = Math.min(Math.floor(((now - t0) / 1000) * o.rate), Math.floor(o.seconds * o.rate)) - sent
    if (due > 0) {
      const batch = cardEvents(o.prefix, sent, due, Date.now())
      sent += due
      const at = performance.now()
      watch.expect(batch, at)
      inFlight.push(
        postAll(t, batch, end + o.waitSeconds * 1000).then(
          () => answers.push(performance.now() - at),
          () => {
            unanswered += batch.length
          },
        ),
      )
    }
    await new Promise((r) => setTimeout(r, tick))
  }
  const postedSeconds = (performance.now() - t0) / 1000
  await Promise.all(inFlight)
  await watch.until(0, performance.now() + o.waitSeconds * 1000)
  const missing = watch.forget()
  const latencies = watch.takeLatencies()
  return {
    offeredPerSecond: o.rate,
    postedPerSecond: Math.round(sent / postedSeconds),
    events: sent,
    cards: watch.announced - before,
    missing,
    unanswered,
    eventToCard: summarize(latencies),
    collectorAnswer: summarize(answers),
  }
}
