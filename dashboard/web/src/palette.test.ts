import { describe, expect, it } from 'vitest'
import { contrastRatio, cssVariables, PALETTE, type PaletteName } from './palette.ts'

/** Every pair of (text, background) the wall and the consoles draw. */
const PAIRS: Array<[PaletteName, PaletteName]> = [
  ['text', 'bg'], ['text', 'panel'], ['text', 'highlight'],
  ['textMuted', 'bg'], ['textMuted', 'panel'], ['textMuted', 'highlight'],
  ['yellow', 'panel'], ['yellow', 'highlight'], ['red', 'panel'], ['red', 'highlight'],
  ['yellowInk', 'yellow'], ['redInk', 'redBadge'], ['ok', 'panel'], ['warn', 'panel'],
  ['ok', 'bg'], ['warn', 'bg'], ['red', 'bg'], ['yellow', 'bg'],
]

describe('palette', () => {
  it('computes WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#777777', '#777777')).toBe(1)
  })

  it.each(PAIRS)('%s on %s meets WCAG AA (4.5:1)', (fg, bg) => {
    expect(contrastRatio(PALETTE[fg], PALETTE[bg])).toBeGreaterThanOrEqual(4.5)
  })

  it('exposes colours as CSS custom properties', () => {
    expect(cssVariables()['--c-text-muted']).toBe(PALETTE.textMuted)
    expect(cssVariables()['--c-bg']).toBe(PALETTE.bg)
  })
})
