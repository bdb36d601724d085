/**
 * A tiny seeded PRNG. The simulator must be deterministic (same seed, same city), so
 * nothing in it may call Math.random.
 */

/** Rng is a stream of seeded random numbers with a few convenience draws. */
export interface Rng {
  /** next returns a float in [0, 1). */
  next(): number
  /** int returns an integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number
  /** between returns a float in [lo, hi). */
  between(lo: number, hi: number): number
  /** chance returns true with probability p. */
  chance(p: number): boolean
  /** pick returns one element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T
}

/** hash32 mixes integers into one well-spread 32-bit seed (murmur3-style finaliser). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9
  for (const p of parts) {
    // Split into two 32-bit halves so that large indexes and negative seeds still mix.
    const lo = p | 0
    const hi = Math.floor(p / 0x100000000) | 0
    h = Math.imul(h ^ lo, 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13) ^ hi, 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

/** hashString turns a string into a 32-bit seed (FNV-1a). */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** mulberry32 returns a seeded Rng; equal seeds give equal streams. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    between: (lo, hi) => lo + next() * (hi - lo),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  }
}

/** rngFor is the Rng of one (seed, index, stream) triple, independent of every other triple. */
export function rngFor(seed: number, index: number, stream = 0): Rng {
  return mulberry32(hash32(seed, index, stream))
}
