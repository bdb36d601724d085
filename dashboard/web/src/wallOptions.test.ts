import { describe, expect, it } from 'vitest'
import { DEFAULT_STALE_MINUTES } from './freshness.ts'
import { wallOptions } from './wallOptions.ts'

describe('wall options', () => {
  it('defaults to a plain wall: no kiosk, no rotation, the default stale limit', () => {
    expect(wallOptions('#/wall', '')).toEqual({ kiosk: false, page: 'live', rotateSeconds: 0, staleMinutes: DEFAULT_STALE_MINUTES })
  })
  it('reads kiosk, rotate and stale from the hash, before the query string', () => {
    expect(wallOptions('#/wall?kiosk=1&rotate=45&stale=2', '?rotate=10')).toEqual({ kiosk: true, page: 'live', rotateSeconds: 45, staleMinutes: 2 })
    expect(wallOptions('', '?stale=0.5')).toMatchObject({ staleMinutes: 0.5 })
  })
  it('rotates a kiosk every 30 s unless told, never faster than every 5 s, and ignores nonsense', () => {
    expect(wallOptions('#/wall?kiosk=1', '').rotateSeconds).toBe(30)
    expect(wallOptions('#/wall?kiosk=1&rotate=1', '').rotateSeconds).toBe(5)
    expect(wallOptions('#/wall?rotate=abc&stale=-3', '')).toEqual({ kiosk: false, page: 'live', rotateSeconds: 0, staleMinutes: DEFAULT_STALE_MINUTES })
  })
  it('opens on the page named, the live page for any other', () => {
    expect(wallOptions('#/wall?page=rank', '').page).toBe('rank')
    expect(wallOptions('', '?page=trends').page).toBe('trends')
    expect(wallOptions('#/wall?page=toString', '').page).toBe('live')
  })
})
