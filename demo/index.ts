/**
 * The demo city simulator: a deterministic city (city.ts, scenario.ts) sent live to
 * the collector (sender.ts, simulator.ts). This file says what is public.
 */
export { demoTwilio } from './demoTwilio.ts'
export { department, DEPARTMENTS } from './city.ts'
export { seedDemoContacts } from './contacts.ts'
export { seedDemoDepartments } from './departments.ts'
export { type DemoAccounts, ensureDemoAccounts } from './demoAccounts.ts'
export { type FakeTwilio, type FakeTwilioOptions, sign, startFakeTwilio } from './fakeTwilio.ts'
export { mulberry32 } from './prng.ts'
export { startSimulator } from './simulator.ts'
