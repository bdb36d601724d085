import { describe, expect, it } from 'vitest'
import { Ratio } from './ratio.ts'

const r = (n: number, d = 1) => Ratio.of(n, d)
const rounded = (x: Ratio) => x.roundHalfUp(2).toNumber()

describe('Ratio', () => {
  it('keeps lowest terms and a positive denominator', () => {
    expect(r(6, -4)).toEqual(r(-3, 2))
    expect(r(0, 7)).toEqual(Ratio.ZERO)
    expect(() => r(1, 0)).toThrow('division by zero')
  })

  it('adds, subtracts, multiplies, divides and compares exactly', () => {
    expect(r(1, 3).plus(r(1, 6))).toEqual(r(1, 2))
    expect(r(1, 3).minus(r(1, 2))).toEqual(r(-1, 6))
    expect(r(2, 3).times(r(3, 4))).toEqual(r(1, 2))
    expect(r(2, 3).div(r(4, 9))).toEqual(r(3, 2))
    expect(r(1, 3).compare(r(2, 6))).toBe(0)
    expect(r(1, 3).compare(r(1, 2))).toBe(-1)
    expect(r(150).clamp(Ratio.ZERO, r(100))).toEqual(r(100))
    expect(r(-5).clamp(Ratio.ZERO, r(100))).toEqual(Ratio.ZERO)
  })

  it('takes a number at its decimal spelling, not at its binary value', () => {
    expect(Ratio.fromNumber(0.1)).toEqual(r(1, 10))
    expect(Ratio.fromNumber(15)).toEqual(r(15))
    expect(Ratio.fromNumber(-2.5)).toEqual(r(-5, 2))
    expect(Ratio.fromNumber(1e-7)).toEqual(r(1, 10_000_000))
    expect(Ratio.fromNumber(1e21)).toEqual(Ratio.of(10n ** 21n))
    expect(() => Ratio.fromNumber(Infinity)).toThrow('not a finite number')
  })

  it('rounds half up at .xx5, where binary floating point rounds some down', () => {
    // 80.425 as a double is 80.42499999999999…: toFixed gives 80.42
    expect((80.425).toFixed(2)).toBe('80.42')
    expect(Math.round(1.005 * 100) / 100).toBe(1)
    expect(rounded(r(80425, 1000))).toBe(80.43)
    expect(rounded(r(3217, 40))).toBe(80.43)
    expect(rounded(r(1005, 1000))).toBe(1.01) // 1.005 is 1.00499999… as a double
    expect(rounded(r(2675, 1000))).toBe(2.68)
    expect(rounded(r(4, 1000))).toBe(0)
    expect(rounded(r(5, 1000))).toBe(0.01)
    expect(rounded(r(-5, 1000))).toBe(-0.01)
    expect(rounded(r(2250, 55))).toBe(40.91)
    expect(rounded(r(2250, 70))).toBe(32.14)
    expect(rounded(r(200, 3))).toBe(66.67)
    expect(rounded(r(100))).toBe(100)
  })

  it('writes decimals exactly', () => {
    expect(r(8043, 100).toDecimal()).toBe('80.43')
    expect(r(1, 8).toDecimal()).toBe('0.125')
    expect(r(-1, 20).toDecimal()).toBe('-0.05')
    expect(r(15).toDecimal()).toBe('15')
    expect(r(1, 3).toDecimal()).toBe('1/3')
    expect(JSON.stringify(r(8043, 100).toNumber())).toBe('80.43')
  })
})
