/**
 * The throttle of failed sign-ins, as pure policy. Failures are counted per key:
 * the (username, address) pair, the (username, known device) pair, the username alone
 * and the address alone. A key is free for its first failures, then each further one
 * doubles the wait after the newest, up to a cap. The pair keys are tight, so a guesser
 * is slowed at once; the single keys are loose, so an attacker cannot lock a user out
 * from elsewhere, nor one address lock out an office behind it. From a device the user
 * signed in on before, only its (username, device) pair counts: the account stays
 * usable there whatever strangers try.
 */

/** ThrottleKey names what a failure is counted against. */
export type ThrottleKey = 'user+ip' | 'user+device' | 'user' | 'ip'

/** Limit is how many failures in the window a key allows before waits begin. */
export const FREE_FAILURES: Readonly<Record<ThrottleKey, number>> = { 'user+ip': 5, 'user+device': 5, user: 20, ip: 50 }
/** FIRST_WAIT_MS is the wait after the first failure beyond the free ones; each further one doubles it. */
export const FIRST_WAIT_MS = 30_000
/** MAX_WAIT_MS caps a wait. */
export const MAX_WAIT_MS = 15 * 60_000
/** WINDOW_MS is how long a failure counts. */
export const WINDOW_MS = 60 * 60_000

/** Failures is a key's failures in the window: how many, and when the newest was. */
export interface Failures {
  count: number
  newest: number
}

/** keysFor lists the keys an attempt is counted against: from a known device, only its pair. */
export function keysFor(knownDevice: boolean): ThrottleKey[] {
  return knownDevice ? ['user+device'] : ['user+ip', 'user', 'ip']
}

/** waitOf is how long a key with these failures must wait from `now` (ms; 0 = free). */
export function waitOf(key: ThrottleKey, f: Failures, now: number): number {
  const beyond = f.count - FREE_FAILURES[key]
  if (beyond < 0) return 0
  const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(beyond, 30))
  return Math.max(0, f.newest + wait - now)
}
