/**
 * Static files: serves the built SPA from one folder. Paths that would leave the
 * folder are refused, and unknown extension-less paths fall back to index.html so
 * client-side routes survive a reload.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { sendJson } from '../../common/http/index.ts'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** contentType returns the Content-Type for a file name. */
export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * resolveStaticPath maps a URL path to a file inside `root`, or null when the path is
 * malformed or would escape `root` (after percent-decoding, so %2e%2e%2f is caught too).
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const base = resolve(root)
  const file = resolve(join(base, decoded))
  if (file !== base && !file.startsWith(base + sep)) return null
  return file
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/** serveStatic answers a GET/HEAD for a file under `root`; it always ends the response. */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void> {
  const resolved = resolveStaticPath(root, urlPath)
  if (resolved === null) return sendJson(res, 404, { error: 'not found' })
  let file = resolved
  if (!(await isFile(file))) {
    // Only extension-less paths are app routes; a missing asset is a real 404.
    if (extname(file) !== '' && !urlPath.endsWith('/')) return sendJson(res, 404, { error: 'not found' })
    file = join(resolve(root), 'index.html')
    if (!(await isFile(file))) return sendJson(res, 404, { error: 'ui not built: run npm run build:ui' })
  }
  // Vite fingerprints everything under assets/, so those can be cached for good;
  // index.html must be revalidated or a new build would never reach the wall.
  const immutable = file.startsWith(join(resolve(root), 'assets') + sep)
  res.writeHead(200, {
    'content-type': contentType(file),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  })
  if (req.method === 'HEAD') return void res.end()
  await new Promise<void>((done) => {
    const stream = createReadStream(file)
    stream.on('error', () => {
      res.destroy()
      done()
    })
    stream.on('end', done)
    stream.pipe(res)
  })
}
