/**
 * The address a request comes from, as the sign-in throttle counts it. Behind a
 * reverse proxy every request comes from the proxy, so its X-Forwarded-For is believed,
 * but only from proxies the configuration trusts (TRUSTED_PROXIES): anyone else could
 * write any address there and escape the throttle.
 */
import { BlockList, isIP } from 'node:net'
import type { IncomingMessage } from 'node:http'

/** trustedProxies reads a list of addresses and CIDR ranges (10.0.0.0/8, ::1); an error names the bad entry. */
export function trustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const raw of entries) {
    const e = raw.trim()
    const [addr, bits] = e.split('/') as [string, string | undefined]
    const family = isIP(addr)
    if (!family || (bits !== undefined && !/^\d{1,3}$/.test(bits))) throw new Error(`not an IP address or CIDR range: ${JSON.stringify(e)}`)
    const type = family === 6 ? 'ipv6' : 'ipv4'
    if (bits === undefined) list.addAddress(addr, type)
    else if (Number(bits) > (family === 6 ? 128 : 32)) throw new Error(`prefix too long in ${JSON.stringify(e)}`)
    else list.addSubnet(addr, Number(bits), type)
  }
  return list
}

/**
 * clientAddress is the request's peer address; when the peer is a trusted proxy, the
 * nearest address in X-Forwarded-For that is not itself a trusted proxy.
 */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trusted: BlockList | null): string {
  const peer = plain(req.socket.remoteAddress ?? 'unknown')
  if (!trusted || !isTrusted(trusted, peer)) return peer
  const header = req.headers['x-forwarded-for']
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((h) => plain(h.trim())).filter(Boolean)
  // Right to left: each hop was added by the one after it; the first untrusted one is the client.
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!
    if (!isIP(hop)) return peer
    if (!isTrusted(trusted, hop)) return hop
  }
  return hops[0] ?? peer
}

function isTrusted(list: BlockList, addr: string): boolean {
  const family = isIP(addr)
  return family !== 0 && list.check(addr, family === 6 ? 'ipv6' : 'ipv4')
}

/** plain reads an IPv4 address mapped into IPv6 (::ffff:10.0.0.1) as IPv4. */
function plain(addr: string): string {
  return addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr
}
