import { describe, expect, it } from 'vitest'
import { clientAddress, trustedProxies } from './clientAddress.ts'

const req = (peer: string, xff?: string) => ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as never

describe('clientAddress', () => {
  const proxies = trustedProxies(['10.0.0.0/8', '::1', '192.0.2.10'])

  it('is the peer, whatever it writes, unless the peer is a trusted proxy', () => {
    expect(clientAddress(req('203.0.113.7', '1.2.3.4'), proxies)).toBe('203.0.113.7')
    expect(clientAddress(req('::ffff:203.0.113.7'), null)).toBe('203.0.113.7')
    expect(clientAddress(req('10.1.2.3', '1.2.3.4'), null)).toBe('10.1.2.3')
  })

  it('behind trusted proxies, is the nearest forwarded address that is not one of them', () => {
    expect(clientAddress(req('10.1.2.3', '198.51.100.4'), proxies)).toBe('198.51.100.4')
    // A client that forges the header is still seen at the address the proxy saw.
    expect(clientAddress(req('::ffff:10.1.2.3', '6.6.6.6, 198.51.100.4, 192.0.2.10'), proxies)).toBe('198.51.100.4')
    expect(clientAddress(req('::1', 'garbage'), proxies)).toBe('::1')
    expect(clientAddress(req('10.1.2.3'), proxies)).toBe('10.1.2.3')
  })

  it('names a bad entry of the trusted list', () => {
    expect(() => trustedProxies(['10.0.0.0/8', 'proxy.local'])).toThrow('not an IP address or CIDR range: "proxy.local"')
    expect(() => trustedProxies(['10.0.0.0/33'])).toThrow('prefix too long')
  })
})
