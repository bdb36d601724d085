/** sendJson writes a JSON response; every non-file answer of the dashboard server goes through it. */
import type { ServerResponse } from 'node:http'

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // The wall is live data: a cached snapshot would show cards that no longer hold.
    'cache-control': 'no-store',
  })
  res.end(text)
}
