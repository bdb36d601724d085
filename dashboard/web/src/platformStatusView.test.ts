import { describe, expect, it } from 'vitest'
import type { ComponentReport, ComponentStatus } from '../../../common/contract/api.ts'
import { clock, componentLabel, connectionText, duration, figures, problemTexts, shownState, stateLabel, streamHint, streamLabel } from './platformStatusView.ts'

const ZONE = 'Asia/Shanghai'
const base: Omit<ComponentStatus, 'component' | 'details'> = {
  process: { host: 'node-1', pid: 7, started: '2026-11-24T01:00:00.000Z' }, state: 'ok', problems: [], at: '2026-11-24T02:00:00.000Z', db: { up: true }, bus: { up: true },
}
const rules: ComponentStatus = { ...base, component: 'rules', details: { backlog: 12, watermarkLagMs: 4200, applied: 900, cases: 30, deadLetters: 2, lastError: { at: '2026-11-24T01:59:50.000Z', message: 'connection terminated' } } }

describe('the platform status page', () => {
  it('shows a component not reporting as 失联, whatever it last said', () => {
    const heard: ComponentReport = { component: 'rules', reporting: true, heardAt: base.at, status: { ...rules, state: 'degraded' } }
    expect(shownState(heard)).toBe('degraded')
    expect(shownState({ ...heard, reporting: false })).toBe('silent')
    expect(shownState({ component: 'alerts', reporting: false, heardAt: null, status: null })).toBe('silent')
    expect(stateLabel('zh-CN', 'silent')).toBe('? 失联')
    expect(stateLabel('en', 'down')).toBe('✗ Down')
    expect(stateLabel('zh-CN', 'ok')).toBe('✓ 正常')
  })

  it('names components and streams, and says what dead letters mean in plain words', () => {
    expect(componentLabel('zh-CN', 'rules')).toBe('规则引擎')
    expect(componentLabel('en', 'collector')).toBe('Collector')
    expect(streamLabel('zh-CN', 'JIANCHA_EVENTS')).toBe('事件')
    expect(streamLabel('en', 'JIANCHA_OTHER')).toBe('JIANCHA_OTHER')
    expect(streamHint('zh-CN', 'JIANCHA_EVENTS')).toBe('这些事件被数据库拒收，未进入平台；请修正来源系统的数据后重新发送。')
    expect(streamHint('en', 'JIANCHA_EVENTS')).toBe('These events were refused by the database and are not in the platform; fix the source and send them again.')
    expect(streamHint('en', 'JIANCHA_OTHER')).toContain('given up on')
  })

  it('words a connection, down since when in the platform zone and why', () => {
    expect(connectionText('zh-CN', { up: true }, ZONE)).toBe('✓ 正常')
    expect(connectionText('zh-CN', { up: false, downSince: '2026-11-24T02:00:05.000Z', error: 'connect ECONNREFUSED' }, ZONE)).toBe('✗ 自 2026-11-24 10:00:05 中断：connect ECONNREFUSED')
    expect(connectionText('en', { up: false, downSince: '2026-11-24T02:00:05.000Z', error: 'x' }, 'UTC')).toBe('✗ down since 2026-11-24 02:00:05: x')
    expect(clock('not a time', ZONE)).toBe('not a time')
  })

  it('words the problems', () => {
    expect(problemTexts('zh-CN', { ...rules, problems: ['db_down', 'recent_error'] })).toEqual(['数据库无法连接', '最近 30 秒内出错'])
    expect(problemTexts('en', { ...rules, problems: ['backpressure'] })).toEqual(['Backlog over its bound: refusing new events (HTTP 429)'])
  })

  it('lists the figures of each component', () => {
    expect(figures('zh-CN', rules, ZONE).map((f) => [f.id, f.label, f.value])).toEqual([
      ['backlog', '积压事件', '12'], ['lag', '时钟滞后', '4 秒'], ['applied', '已处理事件', '900'], ['cases', '在内存的办件', '30'],
      ['deadLetters', '死信', '2'], ['lastError', '最近错误', 'connection terminated (2026-11-24 09:59)'],
    ])
    const collector: ComponentStatus = { ...base, component: 'collector', details: { backlog: 5, maxBacklog: 0, refused: { tooMany: 3, unavailable: 1 } } }
    expect(figures('en', collector, ZONE).map((f) => f.value)).toEqual(['5 (no bound)', '3', '1'])
    const bounded: ComponentStatus = { ...collector, details: { ...collector.details, maxBacklog: 100 } }
    expect(figures('zh-CN', bounded, ZONE)[0]!.value).toBe('5（上限 100）')
    const alerts: ComponentStatus = { ...base, component: 'alerts', details: { outbox: null, notifier: { running: false, lastError: null } } }
    expect(figures('zh-CN', alerts, ZONE).map((f) => f.value)).toEqual(['未知', '未知', '未知', '未运行', '—'])
    const service = { stored: 40, deadLetters: 1, lastError: { at: '2026-11-24T01:59:50.000Z', message: 'connection terminated' } }
    expect(figures('zh-CN', { ...alerts, details: { ...alerts.details, service } }, ZONE).slice(5).map((f) => [f.id, f.label, f.value])).toEqual([
      ['stored', '已入库预警', '40'], ['deadLetters', '死信', '1'], ['storeError', '最近入库错误', 'connection terminated (2026-11-24 09:59)'],
    ])
    expect(figures('en', { ...base, component: 'dashboard', details: { sockets: 4 } }, ZONE)).toEqual([{ id: 'sockets', label: 'Browsers connected', value: '4' }])
    const kpi: ComponentStatus = { ...base, component: 'kpi', details: { events: 120, cards: 7, facts: 800, rollups: 'timescale', refreshedAt: null, lastError: null } }
    expect(figures('zh-CN', kpi, ZONE).map((f) => [f.label, f.value])).toEqual([['已计入事件', '120'], ['已计入预警', '7'], ['已写入计数', '800'], ['汇总方式', 'TimescaleDB'], ['最近刷新', '—'], ['最近错误', '—']])
  })

  it('words a span roughly', () => {
    expect([0, 800, 12_400, 5 * 60_000, 3 * 3_600_000, 3 * 86_400_000].map((ms) => duration('en', ms))).toEqual(['0 ms', '800 ms', '12 s', '5 min', '3 h', '3 d'])
    expect(duration('zh-CN', 90_000)).toBe('90 秒')
  })
})
