/**
 * The official Twilio SDK client. In production it talks to api.twilio.com; for tests
 * and demos its HTTP client sends every `https://*.twilio.com` request to another base
 * URL (the project's fake Twilio, or Prism serving Twilio's OpenAPI description), so
 * that the SDK's own request building, paging and error handling run unchanged.
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

/** RewritingRequestClient is the SDK's RequestClient, sending Twilio's hosts to baseUrl. */
export class RewritingRequestClient extends twilio.RequestClient {
  constructor(
    readonly baseUrl: string,
    opts: ConstructorParameters<typeof twilio.RequestClient>[0] = {},
  ) {
    super(opts)
  }

  override request<T>(opts: RequestOptions<T>) {
    return super.request<T>({ ...opts, uri: rewriteTwilioUrl(opts.uri, this.baseUrl) })
  }
}

/** createTwilioClient builds `twilio(accountSid, authToken, { httpClient })`, rewriting hosts only when baseUrl is set. */
export function createTwilioClient(opts: TwilioClientOptions): twilio.Twilio {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const httpClient = opts.baseUrl ? new RewritingRequestClient(opts.baseUrl, { timeout }) : new twilio.RequestClient({ timeout })
  return twilio(opts.accountSid, opts.authToken, { httpClient })
}
