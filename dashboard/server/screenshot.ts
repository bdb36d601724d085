/**
 * screenshot saves a PNG of a page as a person sees it, for docs/ and for checking
 * the wall's layout by eye.
 */
import { launchChromium } from './chromium.ts'

/** ScreenshotOptions sizes the viewport and says what must be on screen first. */
export interface ScreenshotOptions {
  width: number
  height: number
  /** A CSS selector to wait for before the shot (e.g. a rendered chart canvas). */
  waitFor?: string
  /** Extra settle time after waitFor, for chart animations; 800 ms by default. */
  settleMs?: number
}

/** screenshot loads `url` in headless Chromium and writes a PNG to `file`. */
export async function screenshot(url: string, file: string, opts: ScreenshotOptions = { width: 1920, height: 1080 }): Promise<void> {
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: opts.width, height: opts.height } })
    await page.goto(url, { waitUntil: 'load' })
    if (opts.waitFor) await page.waitForSelector(opts.waitFor, { timeout: 15_000 })
    await page.waitForTimeout(opts.settleMs ?? 800)
    await page.screenshot({ path: file })
  } finally {
    await browser.close()
  }
}
