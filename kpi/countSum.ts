/**
 * A count sum is how a scheme names the numerator or denominator of an indicator:
 * counts added and subtracted, e.g. `approval.on_time` or
 * `approval.evaluated - approval.poor`.
 */
import { COUNT_NAMES, isCountName, type CountName, type Counts } from './countNames.ts'

/** CountSum is a sum of counts, each added (+1) or subtracted (−1). */
export type CountSum = ReadonlyArray<{ sign: 1 | -1; count: CountName }>

/**
 * parseCountSum reads `a`, `a + b`, `a - b`…; it returns the reason when the text is
 * not such a sum (an unknown count is named, with the nearest known one).
 */
export function parseCountSum(text: string): CountSum | string {
  const terms: Array<{ sign: 1 | -1; count: CountName }> = []
  const tokens = text.trim().split(/\s*([+-])\s*/)
  // split keeps the operators: [name, op, name, op, name…]; a leading "-" gives an empty first name.
  for (let i = 0; i < tokens.length; i += 2) {
    const name = tokens[i]!
    const sign = i === 0 ? 1 : tokens[i - 1] === '-' ? -1 : 1
    if (!name) return i === 0 && tokens.length > 1 ? 'must start with a count, not a sign' : `must be counts joined by + or -, got "${text}"`
    if (!isCountName(name)) return `unknown count "${name}"${nearest(name)}`
    terms.push({ sign, count: name })
  }
  return terms
}

/** sumOf evaluates a count sum over one department's counts. */
export function sumOf(sum: CountSum, counts: Counts): number {
  let n = 0
  for (const t of sum) n += t.sign * counts[t.count]
  return n
}

/** formatCountSum writes a count sum the one way the scheme's version reads it: `a - b`. */
export function formatCountSum(sum: CountSum): string {
  return sum.map((t, i) => (i === 0 ? t.count : `${t.sign < 0 ? '-' : '+'} ${t.count}`)).join(' ')
}

/** nearest names the closest count when a typo is likely (edit distance ≤ 3). */
function nearest(name: string): string {
  let best = ''
  let bestD = 4
  for (const known of COUNT_NAMES) {
    const d = distance(name, known)
    if (d < bestD) [best, bestD] = [known, d]
  }
  return best ? `; did you mean ${best}?` : '; the counts are listed in docs/kpi.md'
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]!
}
