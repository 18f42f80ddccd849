export { createServer } from './create-server.js';
export { HTTP_STATUS_BY_CODE, toErrorAnswer } from './error-table.js';
export type { CivtagServer, CloseOptions, CreateServerOptions } from './server-options.js';
export { SERVER_VERSION } from './server-version.js';
