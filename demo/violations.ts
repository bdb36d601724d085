/**
 * Violation mixes: each kind's table gives, per rule, the share of cases built to
 * fire it. A case breaks at most one rule on purpose, so the shares add up per kind.
 */
import type { Rng } from './prng.ts'

/** Mix maps a rule name to the probability that a case is built to fire it. */
export type Mix<R extends string> = Readonly<Record<R, number>>

/** drawViolation picks at most one rule from a mix, always consuming exactly one draw. */
export function drawViolation<R extends string>(rng: Rng, mix: Mix<R>): R | null {
  let x = rng.next()
  for (const [rule, p] of Object.entries(mix) as [R, number][]) {
    if (x < p) return rule
    x -= p
  }
  return null
}

/** mixTotal is the share of cases that break some rule of the mix. */
export function mixTotal(mix: Mix<string>): number {
  return Object.values(mix).reduce((a, b) => a + b, 0)
}
