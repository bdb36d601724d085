/** The public face of common/log: other components import from here, and only from here. */
export { type Logger, logger, setLogLevel } from './log.ts'
