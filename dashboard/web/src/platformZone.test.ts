import { describe, expect, it } from 'vitest'
import { createApp, ref } from 'vue'
import { PLATFORM_ZONE, usePlatformZone } from './platformZone.ts'

describe('usePlatformZone', () => {
  it('gives the zone App provides, and follows it', () => {
    const app = createApp({})
    const zone = ref('America/New_York')
    app.provide(PLATFORM_ZONE, zone)
    const seen = app.runWithContext(() => usePlatformZone())
    expect(seen.value).toBe('America/New_York')
    zone.value = 'Asia/Tokyo'
    expect(seen.value).toBe('Asia/Tokyo')
  })

  it('is UTC where nothing provides it', () => {
    expect(createApp({}).runWithContext(() => usePlatformZone().value)).toBe('UTC')
  })
})
