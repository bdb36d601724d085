/** The benchmarks (npm run bench:…): jiancha bench runs them from here. */
export { benchRules } from './rules.ts'
export { benchWorker } from './worker.ts'
