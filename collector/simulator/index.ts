/**
 * The demo city simulator: a deterministic city (city.ts, scenario.ts) sent live to
 * the collector (sender.ts, simulator.ts). This file says what is public.
 */
export { DEPARTMENTS, department, deptName, type ApprovalItem, type Department, type EnforcementType, type Lang } from './city.ts'
export { arrivalOf, caseEvents, eventsBetween, KIND_MIX, LIFESPAN_DAYS, planCase } from './scenario.ts'
export type { CasePlan } from './caseBuilder.ts'
export { EventStream } from './stream.ts'
export { MAX_BATCH, sendEvents, type SendCounts, type SenderOptions } from './sender.ts'
export { startSimulator, type Simulator, type SimulatorOptions, type SimulatorStats } from './simulator.ts'
