import { describe, expect, it } from 'vitest'
import { withLang } from './langUrl.ts'

describe('lang in the address', () => {
  it('sets ?lang= and keeps the page and other parameters', () => {
    expect(withLang('http://wall.local/?x=1#/console/3', 'en')).toBe('http://wall.local/?x=1&lang=en#/console/3')
    expect(withLang('http://wall.local/?lang=en#/wall', 'zh-CN')).toBe('http://wall.local/?lang=zh-CN#/wall')
  })
})
