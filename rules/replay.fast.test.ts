/**
 * The quick ways of replay against the plain ones they replace. Utf8Text decodes bytes
 * piece by piece into the very pieces of text StringDecoder gives, valid or not. LineParser.write
 * splits text into lines itself, where jiancha replay used readline: on random text
 * cut into random pieces, with \n, \r\n, lone \r, blank lines, multi-byte characters
 * split between pieces and no final line break, both give the same lines. inEventTime
 * sorts large inputs with a radix sort: it gives the order of the comparison sort.
 */
import { Readable } from 'node:stream'
import { createInterface } from 'node:readline'
import { StringDecoder } from 'node:string_decoder'
import { describe, expect, it } from 'vitest'
import type { TimedEvent } from '../common/contract/index.ts'
import { inEventTime, LineParser, Utf8Text } from './replay.ts'

/** Lines records the lines a LineParser hands to push, instead of parsing them. */
class Lines extends LineParser {
  readonly seen: string[] = []
  override push(raw: string): void {
    this.seen.push(raw)
  }
}

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const BITS = ['\n', '\r\n', '\r', '\r\r\n', '\n\n', 'x', '{"a":1}', ' ', '许可', '😀', 'é', '']

function randomBytes(r: () => number): Buffer {
  let s = ''
  for (let i = 0, n = Math.floor(r() * 40); i < n; i++) s += BITS[Math.floor(r() * BITS.length)]
  const b = Buffer.from(s, 'utf8')
  // Now and then a broken or truncated UTF-8 sequence too.
  return r() < 0.2 ? Buffer.concat([b, Buffer.from([0xe4, 0xb8].slice(0, 1 + Math.floor(r() * 2)))]) : b
}

function pieces(b: Buffer, r: () => number): Buffer[] {
  const out: Buffer[] = []
  for (let i = 0; i < b.length; ) {
    const n = 1 + Math.floor(r() * 6)
    out.push(b.subarray(i, i + n))
    i += n
  }
  return out
}

async function viaReadline(chunks: Buffer[]): Promise<string[]> {
  const lines: string[] = []
  const rl = createInterface({ input: Readable.from(chunks, { objectMode: false }), crlfDelay: Infinity })
  for await (const l of rl) lines.push(l)
  return lines
}

function viaLineParser(chunks: Buffer[]): string[] {
  const p = new Lines()
  const text = new Utf8Text()
  for (const c of chunks) p.write(text.decode(c))
  p.end()
  return p.seen
}

describe('Utf8Text', () => {
  it('gives the text StringDecoder gives, piece by piece, valid UTF-8 or not', () => {
    const r = rng(13)
    const valid = ['a', 'é', '许', '😀', '\n', '\r', '\ufeff', '\ud7ff', '\ue000', '\uffff', '\u{10ffff}'].map((s) => Buffer.from(s))
    const stray = [0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe4, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xf8, 0xfe, 0xff]
    for (let i = 0; i < 30_000; i++) {
      const parts: Buffer[] = []
      for (let j = 0, n = Math.floor(r() * 12); j < n; j++) parts.push(r() < 0.85 ? valid[Math.floor(r() * valid.length)]! : Buffer.from([stray[Math.floor(r() * stray.length)]!]))
      const chunks = pieces(Buffer.concat(parts), r)
      const decoder = new StringDecoder('utf8')
      const text = new Utf8Text()
      expect(chunks.map((c) => text.decode(c)), Buffer.concat(chunks).toString('hex')).toEqual(chunks.map((c) => decoder.write(c)))
    }
  })
})

describe('LineParser.write', () => {
  it('splits lines as readline does', async () => {
    const r = rng(11)
    for (let i = 0; i < 3000; i++) {
      const chunks = pieces(randomBytes(r), r)
      expect(viaLineParser(chunks), JSON.stringify(Buffer.concat(chunks).toString('latin1'))).toEqual(await viaReadline(chunks))
    }
  })

  it('numbers lines as readline did, blank ones included', () => {
    const p = new LineParser()
    p.write('{"x":1}\r\n\n{"id":"a"')
    p.write('}\rnot json')
    p.end()
    expect(p.errors.map((e) => e.line)).toEqual([1, 3, 4])
  })
})

describe('inEventTime', () => {
  const plain = (events: TimedEvent[], until: number) => events.filter((e) => e.t <= until).sort((a, b) => a.t - b.t || a.seq - b.seq)

  it('orders by instant, then arrival, as a comparison sort does', () => {
    const r = rng(5)
    const base = Date.parse('2026-01-01T00:00:00+08:00')
    for (const [n, span] of [[5000, 2 ** 47], [3000, 365 * 86_400_000], [2000, 60_000], [1500, 1], [1024, 0]] as const) {
      // Few distinct instants, so that many are equal, and instants on every digit.
      const instants = Array.from({ length: 1 + Math.floor(n / 8) }, () => base + Math.floor(r() * span))
      const events = Array.from({ length: n }, (_, i): TimedEvent => ({ ev: { id: `e${i}` } as TimedEvent['ev'], t: instants[Math.floor(r() * instants.length)]!, seq: i + 1 }))
      const until = base + span / 2
      for (const u of [until, Infinity]) expect(inEventTime(events, u)).toEqual(plain(events, u))
      // Out of arrival order, or not whole milliseconds: the comparison sort.
      const shuffled = [...events].sort(() => r() - 0.5)
      expect(inEventTime(shuffled, Infinity)).toEqual(plain(shuffled, Infinity))
      events[7] = { ...events[7]!, t: events[7]!.t + 0.5 }
      expect(inEventTime(events, Infinity)).toEqual(plain(events, Infinity))
    }
  })
})
