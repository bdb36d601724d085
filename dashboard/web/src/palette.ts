/**
 * Palette: the wall's colours in one place, shared by the CSS (as custom properties)
 * and by the chart. The test beside it checks every text/background pair against
 * WCAG AA (4.5:1), so a colour tweak cannot quietly make the wall unreadable.
 */

/** PALETTE holds the wall's colours. */
export const PALETTE = {
  bg: '#07122a',
  panel: '#0c1d3b',
  panelEdge: '#1e3a66',
  highlight: '#173260',
  text: '#eef3fb',
  textMuted: '#a9bad3',
  yellow: '#f5c84c',
  yellowInk: '#1c1500',
  red: '#ff6b61',
  redBadge: '#b3261e',
  redInk: '#ffffff',
  ok: '#5fd38d',
  warn: '#ffb4a9',
} as const

/** PaletteName names one colour. */
export type PaletteName = keyof typeof PALETTE

function channel(c: number): number {
  const s = c / 255
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
}

/** luminance is the WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16)
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
}

/** contrastRatio is the WCAG contrast ratio of two #rrggbb colours (1..21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** cssVariables turns the palette into custom properties (--c-bg, --c-text-muted, …). */
export function cssVariables(): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const [name, value] of Object.entries(PALETTE)) vars[`--c-${name.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`] = value
  return vars
}
