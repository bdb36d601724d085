/** The public face of common/privacy: other components import from here, and only from here. */
export { maskIdNumber, maskName, maskPersonal, maskPhone, maskText } from './mask.ts'
