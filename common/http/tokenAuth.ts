/**
 * SourceAuth maps bearer tokens to source names. Comparison is constant-time so a
 * token cannot be guessed byte by byte from response timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { SourceToken } from '../config/index.ts'

export class SourceAuth {
  private readonly tokens: Array<{ name: string; digest: Buffer }> = []

  constructor(sources: readonly SourceToken[]) {
    for (const s of sources) this.add(s)
  }

  /** add registers one more source (the demo simulator registers itself at start). */
  add(s: SourceToken): void {
    this.tokens.push({ name: s.name, digest: digest(s.token) })
  }

  /** sourceOf returns the source a `Authorization: Bearer …` header belongs to, or null. */
  sourceOf(header: string | undefined): string | null {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
    if (!m) return null
    const d = digest(m[1]!)
    let found: string | null = null
    for (const t of this.tokens) if (timingSafeEqual(t.digest, d)) found = t.name
    return found
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}
