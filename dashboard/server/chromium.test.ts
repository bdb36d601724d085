import { describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from './chromium.ts'

describe('findChromium', () => {
  it('takes the first candidate that exists and skips unset ones', () => {
    const have = new Set(['/usr/bin/chromium'])
    expect(findChromium([undefined, '/opt/x', '/usr/bin/chromium'], (p) => have.has(p))).toBe('/usr/bin/chromium')
  })

  it('returns null when there is no browser, so browser tests can skip', () => {
    expect(findChromium(['/nope'], () => false)).toBeNull()
  })

  it('launches without sandbox or background network traffic', () => {
    expect(CHROMIUM_ARGS).toEqual(expect.arrayContaining(['--no-sandbox', '--disable-background-networking']))
  })
})
