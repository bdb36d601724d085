#!/usr/bin/env node
/**
 * ensure-ui: builds the wall (dashboard/web) with Vite only when its build is missing
 * or older than its sources, so `npm start` and `npm test` always serve a current UI
 * without paying for a rebuild every time. Prints one line.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('..', import.meta.url))
const web = join(repo, 'dashboard', 'web')
const built = join(web, 'dist', 'index.html')
const sources = [join(web, 'src'), join(web, 'index.html'), join(web, 'vite.config.ts')]

/** newestMtime is the latest modification time of a file or of any file under a folder. */
function newestMtime(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** staleReason says why a build is needed, or null when dist is current. */
function staleReason() {
  if (!existsSync(built)) return 'no build yet'
  return newestMtime(built) < Math.max(...sources.map(newestMtime)) ? 'sources changed' : null
}

const reason = staleReason()
if (reason === null) {
  console.log('ensure-ui: dashboard/web/dist is up to date')
} else {
  const started = Date.now()
  let build
  try {
    ;({ build } = await import('vite'))
  } catch {
    // A production install has no devDependencies; an existing build is still usable.
    console.log(`ensure-ui: vite is not installed, ${existsSync(built) ? 'serving the existing build' : 'the wall has no UI build'}`)
    process.exit(existsSync(built) ? 0 : 1)
  }
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' })
  console.log(`ensure-ui: built dashboard/web/dist (${reason}) in ${((Date.now() - started) / 1000).toFixed(1)}s`)
}
