/**
 * The official Twilio SDK client. In production it talks to api.twilio.com; for tests
 * and demos its HTTP client sends every `https://*.twilio.com` request to another base
 * URL (the project's fake Twilio, or Prism serving Twilio's OpenAPI description), so
 * that the SDK's own request building, paging and error handling run unchanged. Its
 * one addition: a 429 keeps the Retry-After Twilio sent.
 */
import twilio from 'twilio'

/** RequestOptions is what the SDK passes to its HTTP client for one request. */
export type RequestOptions<T> = Parameters<twilio.RequestClient['request']>[0] & { data?: T }

/** TwilioClientOptions are the credentials, and a base URL that replaces Twilio's hosts when set. */
export interface TwilioClientOptions {
  accountSid: string
  authToken: string
  /** e.g. `http://127.0.0.1:4010`; unset in production */
  baseUrl?: string
  /** per-request timeout in milliseconds (default 10 000) */
  timeoutMs?: number
}

/** DEFAULT_TIMEOUT_MS bounds one API call: a hung call must not hold a message for long. */
export const DEFAULT_TIMEOUT_MS = 10_000

/** rewriteTwilioUrl replaces the origin of a `*.twilio.com` URL with base, keeping path and query; other URLs pass. */
export function rewriteTwilioUrl(uri: string, base: string): string {
  const u = new URL(uri)
  if (u.hostname !== 'twilio.com' && !u.hostname.endsWith('.twilio.com')) return uri
  const b = new URL(base)
  return `${b.origin}${b.pathname.replace(/\/+$/, '')}${u.pathname}${u.search}`
}

/** DEFAULT_RETRY_AFTER_MS is the wait after a 429 that names no Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 1000

/**
 * RateLimited is the SDK's RestException for a 429, with the wait Twilio asked for:
 * the SDK's own exception drops the response headers, Retry-After among them.
 */
export class RateLimited extends twilio.RestException {
  readonly retryAfterMs: number

  constructor(response: { statusCode: number; body: unknown; headers?: Record<string, unknown> }, now = Date.now()) {
    super(response)
    this.retryAfterMs = retryAfterMs(response.headers?.['retry-after'], now) ?? DEFAULT_RETRY_AFTER_MS
  }
}

/** retryAfterMs reads a Retry-After header, seconds or an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
  const v = Array.isArray(header) ? header[0] : header
  if (typeof v !== 'string' && typeof v !== 'number') return undefined
  const text = String(v).trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * TwilioHttpClient is the SDK's RequestClient, sending Twilio's hosts to baseUrl when
 * one is set, and failing a 429 with RateLimited so that the sender can honour the
 * Retry-After.
 */
export class TwilioHttpClient extends twilio.RequestClient {
  constructor(
    readonly baseUrl: string | undefined,
    opts: ConstructorParameters<typeof twilio.RequestClient>[0] = {},
  ) {
    super(opts)
  }

  override async request<T>(opts: RequestOptions<T>) {
    const res = await super.request<T>(this.baseUrl ? { ...opts, uri: rewriteTwilioUrl(opts.uri, this.baseUrl) } : opts)
    if (res.statusCode === 429) throw new RateLimited(res)
    return res
  }
}

/** createTwilioClient builds `twilio(accountSid, authToken, { httpClient })`, rewriting hosts only when baseUrl is set. */
export function createTwilioClient(opts: TwilioClientOptions): twilio.Twilio {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  return twilio(opts.accountSid, opts.authToken, { httpClient: new TwilioHttpClient(opts.baseUrl, { timeout }) })
}
