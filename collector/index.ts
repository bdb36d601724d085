/** The collector: the HTTP intake of the departments' events. Other components import from here, and only from here. */
export { BacklogGauge } from './backlog.ts'
export { busPublisher, PUBLISH_BUDGET_MS } from './publisher.ts'
export { type CollectorProbeOptions, collectorProbe } from './health.ts'
export { type Backpressure, type Collector, type Refused, RETRY_AFTER_S, startCollector } from './server.ts'
