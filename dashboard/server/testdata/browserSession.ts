/**
 * browserSession: the sign-in the browser tests share. Each call opens a fresh browser
 * context (its own cookies and storage, as another person's browser would be) at
 * `path` and signs in through the login page the way a person does, then waits for
 * the app's menu; a test that wants one browser per person keeps the pages it got.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'

/** BROWSER_TEST_PASSWORD is the password the browser tests give every account they make. */
export const BROWSER_TEST_PASSWORD = 'a long enough password'

/** DESK is a desk screen's browser. */
export const DESK: BrowserContextOptions = { viewport: { width: 1440, height: 900 } }

/** SignInOptions say where to land, on what screen, with which password. */
export interface SignInOptions {
  path?: string
  context?: BrowserContextOptions
  password?: string
}

/** signIn opens `url` + `path` in a fresh context and signs in as `username` on the login page; it answers once the menu shows. */
export async function signIn(browser: Browser, url: string, username: string, o: SignInOptions = {}): Promise<Page> {
  const page = await (await browser.newContext({ ...DESK, ...o.context })).newPage()
  await page.goto(`${url}${o.path ?? '/'}`)
  await page.fill('[data-testid="login-username"]', username)
  await page.fill('[data-testid="login-password"]', o.password ?? BROWSER_TEST_PASSWORD)
  await page.click('[data-testid="login-submit"]')
  await page.waitForSelector('[data-testid="app-nav"]')
  return page
}

/**
 * Browsers keeps one browser per person across a test file's steps: `at(who, path)`
 * opens `path` in that person's browser, signing in first only if the session is not
 * there yet (the first time, or after it ended).
 */
export class Browsers {
  private readonly pages = new Map<string, Page>()

  constructor(
    private readonly browser: Browser,
    private readonly url: string,
    private readonly o: Omit<SignInOptions, 'path'> = {},
  ) {}

  /** at opens `path` as `username`, signed in. */
  async at(username: string, path = '/'): Promise<Page> {
    let page = this.pages.get(username)
    if (!page) {
      page = await (await this.browser.newContext({ ...DESK, ...this.o.context })).newPage()
      this.pages.set(username, page)
    }
    await page.goto(`${this.url}${path}`)
    await page.waitForSelector('[data-testid="login-form"], [data-testid="app-nav"]')
    if (!(await page.locator('[data-testid="app-nav"]').count())) {
      await page.fill('[data-testid="login-username"]', username)
      await page.fill('[data-testid="login-password"]', this.o.password ?? BROWSER_TEST_PASSWORD)
      await page.click('[data-testid="login-submit"]')
      await page.waitForSelector('[data-testid="app-nav"]')
    }
    return page
  }
}
