/**
 * stageFit scales the kiosk wall's fixed design (1920×1080) to a screen: one scale
 * for both axes (text keeps its shape), as large as fits; the leftover of a screen
 * wider than 16:9 (an ultra-wide 32:9) or taller widens the stage instead of leaving
 * bars, so the panels stretch and nothing overflows.
 */

/** DESIGN is the resolution the wall is drawn for. */
export const DESIGN = { width: 1920, height: 1080 } as const

/** Stage is the design's size in CSS pixels before scaling, and the scale. */
export interface Stage {
  scale: number
  width: number
  height: number
}

/** stageFit fits the design to a viewport of vw × vh CSS pixels. */
export function stageFit(vw: number, vh: number): Stage {
  if (!(vw > 0 && vh > 0)) return { scale: 1, ...DESIGN }
  const scale = Math.min(vw / DESIGN.width, vh / DESIGN.height)
  // Floor so rounding never makes the scaled stage a pixel larger than the screen.
  return { scale, width: Math.floor(vw / scale), height: Math.floor(vh / scale) }
}
