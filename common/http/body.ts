/**
 * readBody reads a request body of at most `max` bytes as UTF-8. A larger body is
 * read to its end but not kept (leaving early would reset the socket before the
 * caller's 413 reaches the client), and the result is null.
 */
import type { IncomingMessage } from 'node:http'

/** readBody returns the body, or null when it is larger than max bytes. */
export async function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= max) chunks.push(chunk)
  }
  return size > max ? null : Buffer.concat(chunks).toString('utf8')
}
