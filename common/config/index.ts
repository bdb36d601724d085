/** The public face of common/config: other components import from here, and only from here. */
export { type Config, ConfigError, configHelp, loadConfig, redact, type SourceToken } from './config.ts'
export { NODE_FLAGS } from './nodeFlags.ts'
