/** Public entry of database/. */
export {
  createDatabase,
  LocalDatabase,
  type DatabaseHooks,
  type DatabaseOptions,
  type DatabaseStats,
} from './database.js';
export { createLimits, Limits, limitValues } from './limits.js';
export { UserAccess } from './access.js';
export {
  seedOrg,
  seedUsers,
  createUsers,
  assignPermissionSet,
  seedCustomMetadata,
  seedApexClasses,
  type SeedResult,
  type NewUser,
} from './seed.js';
export { parseSoql } from './soql/parser.js';
export { IdGenerator, asId } from './ids.js';
export { createAsyncJob, updateAsyncJob, type JobStatus } from './async-jobs.js';
