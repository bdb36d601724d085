/**
 * Reading the dead-letter stream back: the newest dead letters of one stream, each with
 * what befell it (its headers) and, when its message names them, the event's source
 * and id, so that an administrator knows what to have sent again. The message's
 * content is not returned: it may hold personal data.
 */
import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream'
import { decodeJson } from './codec.ts'
import { DEAD_HEADERS } from './headers.ts'
import { DEAD_STREAM } from './streams.ts'
import { deadSubject } from './subjects.ts'

/** StoredDeadLetter is one dead letter as the dead-letter stream keeps it, without the message's content. */
export interface StoredDeadLetter {
  /** the stream the message was on */
  stream: string
  /** its sequence and subject there */
  seq: number
  subject: string
  consumer: string
  tries: number
  error: string
  /** when it became a dead letter (epoch ms) */
  at: number
  /** the message's `source` and `id` fields, when it is a JSON object naming them */
  source: string | null
  id: string | null
}

/** MAX_ID_CHARS bounds the source and id shown: a poison message may carry anything there. */
const MAX_ID_CHARS = 200

/**
 * recentDeadLetters reads the newest `n` dead letters of `stream`, newest first. It
 * walks back from the newest by sequence, skipping the other streams' dead letters in
 * between, and gives up after a bounded number of reads, so a long run of another
 * stream's dead letters may shorten the list, never the wait.
 */
export async function recentDeadLetters(jsm: JetStreamManager, stream: string, n: number): Promise<StoredDeadLetter[]> {
  const subject = deadSubject(stream)
  const out: StoredDeadLetter[] = []
  if (n <= 0) return out
  let m = await jsm.streams.getMessage(DEAD_STREAM, { last_by_subj: subject })
  if (!m) return out
  const first = (await jsm.streams.info(DEAD_STREAM)).state.first_seq
  let budget = 20 + 10 * n
  for (;;) {
    out.push(deadLetterOf(m, stream))
    if (out.length >= n) return out
    let next: StoredMsg | null = null
    for (let seq = m.seq - 1; seq >= first && budget > 0 && !next; seq--, budget--) {
      const candidate = await jsm.streams.getMessage(DEAD_STREAM, { seq })
      if (candidate?.subject === subject) next = candidate
    }
    if (!next) return out
    m = next
  }
}

/** deadLetterOf reads one stored dead letter. */
export function deadLetterOf(m: Pick<StoredMsg, 'header' | 'time' | 'data'>, stream: string): StoredDeadLetter {
  const h = (k: string) => m.header.get(k)
  const named = namesOf(m.data)
  return {
    stream: h(DEAD_HEADERS.stream) || stream,
    seq: Number(h(DEAD_HEADERS.seq)) || 0,
    subject: h(DEAD_HEADERS.subject),
    consumer: h(DEAD_HEADERS.consumer),
    tries: Number(h(DEAD_HEADERS.tries)) || 0,
    error: h(DEAD_HEADERS.error),
    at: m.time.getTime(),
    ...named,
  }
}

function namesOf(data: Uint8Array): { source: string | null; id: string | null } {
  let v: unknown
  try {
    v = decodeJson<unknown>(data)
  } catch {
    return { source: null, id: null }
  }
  const o = (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown>
  const text = (x: unknown) => (typeof x === 'string' ? x.slice(0, MAX_ID_CHARS) : null)
  return { source: text(o.source), id: text(o.id) }
}
