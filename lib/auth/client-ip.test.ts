import { describe, expect, it } from 'vitest';
import { clientIp, trustedProxyHops } from './client-ip';

const h = (xff?: string) => new Headers(xff === undefined ? {} : { 'x-forwarded-for': xff });

describe('clientIp', () => {
  it('without a trusted proxy: the address our server put last', () => {
    expect(clientIp(h('203.0.113.9'), {})).toBe('203.0.113.9');
    expect(clientIp(h('::ffff:127.0.0.1'), {})).toBe('127.0.0.1');
    expect(clientIp(h('1.1.1.1, 203.0.113.9'), {})).toBe('203.0.113.9');
    expect(clientIp(h(), {})).toBe('unknown');
  });

  it('behind N proxies: the address the outermost one appended, whatever the client sent before it', () => {
    expect(clientIp(h('6.6.6.6, 203.0.113.9'), { TRUST_PROXY: '1' })).toBe('203.0.113.9');
    expect(clientIp(h('6.6.6.6, 203.0.113.9, 10.0.0.2'), { TRUST_PROXY: '2' })).toBe('203.0.113.9');
    expect(clientIp(h('203.0.113.9'), { TRUST_PROXY: 'true' })).toBe('203.0.113.9');
  });

  it('counts an IPv6 client per /64', () => {
    expect(clientIp(h('2001:db8:1:2:3:4:5:6'), {})).toBe('2001:db8:1:2::/64');
    expect(clientIp(h('2001:db8:1:2::9'), {})).toBe('2001:db8:1:2::/64');
    expect(clientIp(h('::1'), {})).toBe('0:0:0:0::/64');
  });

  it('refuses a TRUST_PROXY it does not understand', () => {
    expect(trustedProxyHops({})).toBe(0);
    expect(trustedProxyHops({ TRUST_PROXY: '0' })).toBe(0);
    expect(() => trustedProxyHops({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });
});
