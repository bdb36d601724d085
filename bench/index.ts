/** The benchmarks (npm run bench:…): jiancha bench runs them from here. */
export { benchRules } from './rules.ts'
export { benchSms, type BenchSmsOptions } from './sms.ts'
export { benchWorker } from './worker.ts'
