/** The public face of collector: other components import from here, and only from here. */
export { startCollector } from './server.ts'
