/** The benchmarks (npm run bench:…): jiancha bench runs them from here. */
export { benchE2e, type BenchE2eOptions } from './e2e.ts'
export { benchRules } from './rules.ts'
export { benchSms, type BenchSmsOptions } from './sms.ts'
export { benchWorker } from './worker.ts'
export { benchKpi, type BenchKpiOptions, MismatchError } from './kpi.ts'
