/**
 * The strings of the wall's performance pages (freshness, trends, heatmap, event rate,
 * kiosk playlist), in zh-CN and English. i18n.ts merges them; its test checks both.
 */

/** ZH_WALL_PERF holds the zh-CN strings. */
export const ZH_WALL_PERF = {
  'fresh.lastEvent': '最近事件',
  'fresh.none': '暂无',
  'fresh.lost': '实时连接已中断：画面中的数据可能不是最新的，正在重连…',
  'fresh.stale': '数据可能已过时：已超过 {n} 分钟没有收到新事件（最近事件 {at}）',
  'page.live': '实时预警',
  'page.trends': '趋势分析',
  'page.rank': '考核排名',
  'page.nav': '大屏页面',
  'page.of': '第 {i}/{n} 页',
  'trend.title': '近 30 天每日预警',
  'trend.aria': '近 30 天每日预警折线图：共 {n} 张，最多一天 {max} 张（{day}）',
  'trend.empty': '近 30 天没有预警',
  'heat.title': '部门 × 日期预警热力图',
  'heat.aria': '近 30 天各部门每日预警热力图：{n} 个部门，最多为 {dept} 在 {day} 的 {max} 张',
  'heat.empty': '近 30 天没有预警',
  'rate.title': '事件速率',
  'rate.unit': '条/分钟',
  'rate.now': '最近一分钟 {n} 条/分钟，近 {m} 分钟平均 {avg} 条/分钟',
  'rate.aria': '近 {m} 分钟每分钟收到的事件数柱状图',
  'rate.empty': '近 {m} 分钟没有收到事件',
  'rank.pending': '考核排名将在考核数据接入后显示于此（当期排名、升降、得分与等级）。',
}

/** EN_WALL_PERF holds the English strings, one for each zh-CN string. */
export const EN_WALL_PERF: Record<keyof typeof ZH_WALL_PERF, string> = {
  'fresh.lastEvent': 'Last event',
  'fresh.none': 'none yet',
  'fresh.lost': 'Live connection lost: the figures on screen may be out of date; reconnecting…',
  'fresh.stale': 'Data may be stale: no new event for over {n} min (last event {at})',
  'page.live': 'Live alerts',
  'page.trends': 'Trends',
  'page.rank': 'Rankings',
  'page.nav': 'Wall pages',
  'page.of': 'Page {i} of {n}',
  'trend.title': 'Cards per day, last 30 days',
  'trend.aria': 'Line chart of cards per day over the last 30 days: {n} in all, at most {max} on one day ({day})',
  'trend.empty': 'No cards in the last 30 days',
  'heat.title': 'Cards by department and day',
  'heat.aria': 'Heatmap of cards per department per day over the last 30 days: {n} departments, most {max} for {dept} on {day}',
  'heat.empty': 'No cards in the last 30 days',
  'rate.title': 'Event rate',
  'rate.unit': 'events/min',
  'rate.now': 'Last minute {n} events/min, {avg} events/min on average over {m} min',
  'rate.aria': 'Bar chart of events received per minute over the last {m} minutes',
  'rate.empty': 'No event received in the last {m} minutes',
  'rank.pending': 'The ranking board (current period: rank, movement, score, grade) will show here once the KPI results are connected.',
}
