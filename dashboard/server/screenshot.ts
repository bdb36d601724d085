/**
 * screenshot saves a PNG of a page as a person sees it, for docs/ and for checking
 * the wall's layout by eye. The app is sign-in only, so a shot can sign in first.
 */
import { launchChromium } from './chromium.ts'

/** Credentials are a username and password for POST /api/v1/login. */
export interface Credentials {
  username: string
  password: string
}

/** ScreenshotOptions sizes the viewport and says who is signed in and what must be on screen first. */
export interface ScreenshotOptions {
  width: number
  height: number
  /** Sign in before loading the page; without it the page is shot signed out. */
  signIn?: Credentials
  /** CSS selectors that must all be on screen before the shot (e.g. a rendered chart canvas). */
  waitFor?: string | readonly string[]
  /** Extra settle time after waitFor, for chart animations; 800 ms by default. */
  settleMs?: number
  /** Shoot as a phone or tablet: touch, a mobile viewport, twice the pixels. */
  mobile?: boolean
}

/**
 * screenshot loads `url` in headless Chromium and writes a PNG to `file`. With
 * `signIn`, it first posts the credentials to /api/v1/login on the same origin,
 * through the page's own context, so the session cookie is the browser's when it
 * loads the page. A refused sign-in throws rather than shooting the login page.
 */
export async function screenshot(url: string, file: string, opts: ScreenshotOptions = { width: 1920, height: 1080 }): Promise<void> {
  const browser = await launchChromium()
  try {
    const device = opts.mobile ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}
    const page = await browser.newPage({ viewport: { width: opts.width, height: opts.height }, ...device })
    if (opts.signIn) {
      const r = await page.request.post(new URL('/api/v1/login', url).href, { data: { ...opts.signIn } })
      if (!r.ok()) throw new Error(`sign-in as ${opts.signIn.username} failed: ${r.status()} ${await r.text()}`)
    }
    await page.goto(url, { waitUntil: 'load' })
    for (const selector of [opts.waitFor ?? []].flat()) await page.waitForSelector(selector, { timeout: 15_000 })
    await page.waitForTimeout(opts.settleMs ?? 800)
    await page.screenshot({ path: file })
  } finally {
    await browser.close()
  }
}
