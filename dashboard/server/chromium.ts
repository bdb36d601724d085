/**
 * Chromium for browser tests and screenshots: Debian's system package, never a
 * browser download (this platform runs offline), launched with flags that keep it
 * from calling home.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** CHROMIUM_ARGS are the launch flags: headless in a container, and quiet on the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** findChromium returns the first existing binary: $JIANCHA_CHROMIUM, then Debian's paths; null if none. */
export function findChromium(
  candidates: Array<string | undefined> = [process.env.JIANCHA_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'],
  exists: (p: string) => boolean = existsSync,
): string | null {
  for (const c of candidates) if (c && exists(c)) return c
  return null
}

/** launchChromium starts a headless Chromium or throws with the install hint. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium()
  if (!executablePath) throw new Error('no chromium binary: apt-get install -y chromium (or set JIANCHA_CHROMIUM)')
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS })
}
