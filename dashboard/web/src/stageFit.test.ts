import { describe, expect, it } from 'vitest'
import { stageFit } from './stageFit.ts'

describe('stageFit', () => {
  it('draws the design as is on a 1920×1080 screen and scales it on any 16:9', () => {
    expect(stageFit(1920, 1080)).toEqual({ scale: 1, width: 1920, height: 1080 })
    expect(stageFit(3840, 2160)).toEqual({ scale: 2, width: 1920, height: 1080 })
    expect(stageFit(1280, 720).width).toBe(1920)
  })
  it('widens the stage on an ultra-wide screen, keeping the height, and fits it within the screen', () => {
    const s = stageFit(3840, 1080)
    expect(s).toEqual({ scale: 1, width: 3840, height: 1080 })
    const odd = stageFit(2560, 1080)
    expect(odd.width * odd.scale).toBeLessThanOrEqual(2560)
    expect(odd.height * odd.scale).toBeLessThanOrEqual(1080)
  })
  it('survives a zero-sized window', () => {
    expect(stageFit(0, 0).scale).toBe(1)
  })
})
