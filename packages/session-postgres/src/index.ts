export { MIGRATIONS, type Migration } from './migrations.js';
export {
  PostgresSessionStore,
  type PostgresSessionStoreOptions,
} from './postgres-session-store.js';
