/**
 * Ratio is an exact rational number, so that the figures are computed without binary
 * floating point: 80.425 is 3217/40 and rounds half up to 80.43, where the double
 * nearest to 80.425 (80.42499999999999715…) would round down.
 */
export class Ratio {
  /** Ratio.ZERO is 0. */
  static readonly ZERO = new Ratio(0n, 1n)

  private constructor(
    /** the numerator, in lowest terms */
    readonly num: bigint,
    /** the denominator, in lowest terms, > 0 */
    readonly den: bigint,
  ) {}

  /** Ratio.of builds num/den in lowest terms; den must not be 0. */
  static of(num: bigint | number, den: bigint | number = 1n): Ratio {
    let n = BigInt(num)
    let d = BigInt(den)
    if (d === 0n) throw new RangeError('Ratio: division by zero')
    if (d < 0n) [n, d] = [-n, -d]
    const g = gcd(n < 0n ? -n : n, d)
    return g === 1n ? new Ratio(n, d) : new Ratio(n / g, d / g)
  }

  /**
   * Ratio.fromNumber is the exact value of a number as JavaScript writes it (its
   * shortest decimal spelling): 0.1 is 1/10, not the double nearest to it.
   * A number that is not finite throws.
   */
  static fromNumber(x: number): Ratio {
    if (!Number.isFinite(x)) throw new RangeError(`Ratio: ${x} is not a finite number`)
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x))!
    const frac = m[3] ?? ''
    const exp = Number(m[4] ?? 0) - frac.length
    const digits = BigInt(`${m[1]}${m[2]}${frac}`)
    return exp >= 0 ? Ratio.of(digits * 10n ** BigInt(exp)) : Ratio.of(digits, 10n ** BigInt(-exp))
  }

  /** plus is this + o. */
  plus(o: Ratio): Ratio {
    return Ratio.of(this.num * o.den + o.num * this.den, this.den * o.den)
  }

  /** minus is this − o. */
  minus(o: Ratio): Ratio {
    return Ratio.of(this.num * o.den - o.num * this.den, this.den * o.den)
  }

  /** times is this × o. */
  times(o: Ratio): Ratio {
    return Ratio.of(this.num * o.num, this.den * o.den)
  }

  /** div is this ÷ o; o must not be 0. */
  div(o: Ratio): Ratio {
    return Ratio.of(this.num * o.den, this.den * o.num)
  }

  /** compare is negative, 0 or positive as this is less than, equal to or greater than o. */
  compare(o: Ratio): number {
    const d = this.num * o.den - o.num * this.den
    return d < 0n ? -1 : d > 0n ? 1 : 0
  }

  /** clamp limits this to [lo, hi]. */
  clamp(lo: Ratio, hi: Ratio): Ratio {
    return this.compare(lo) < 0 ? lo : this.compare(hi) > 0 ? hi : this
  }

  /** roundHalfUp rounds to `places` decimals, a half going away from zero (80.425 → 80.43, −0.005 → −0.01). */
  roundHalfUp(places: number): Ratio {
    const scale = 10n ** BigInt(places)
    const abs = this.num < 0n ? -this.num : this.num
    const q = (2n * abs * scale + this.den) / (2n * this.den)
    return Ratio.of(this.num < 0n ? -q : q, scale)
  }

  /** toNumber is the double nearest to this value: for a value with few decimals, one JSON writes as those decimals. */
  toNumber(): number {
    return Number(this.num) / Number(this.den)
  }

  /** toDecimal writes a value whose denominator divides a power of ten exactly (80.43, 15, 0.125); others as num/den. */
  toDecimal(): string {
    let rest = this.den
    let twos = 0
    let fives = 0
    while (rest % 2n === 0n) [rest, twos] = [rest / 2n, twos + 1]
    while (rest % 5n === 0n) [rest, fives] = [rest / 5n, fives + 1]
    if (rest !== 1n) return `${this.num}/${this.den}`
    const places = Math.max(twos, fives)
    if (places === 0) return String(this.num)
    const scaled = (this.num < 0n ? -this.num : this.num) * 10n ** BigInt(places) / this.den
    const digits = scaled.toString().padStart(places + 1, '0')
    return `${this.num < 0n ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a === 0n ? 1n : a
}
