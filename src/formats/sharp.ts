/** The lazy sharp, for the Node-only floors above (annotation, benches): it lives with the Node platform. */
export { sharp } from '../platform/sharp.js';
