/** Public entry of metadata/: the schema loader, the standard schema and the org seed. */
export { loadSchema, standardSchema, packageDirectories } from './load-schema.js';
export { LocalSchema } from './local-schema.js';
export type {
  LocalSchemaApi,
  LocalObjectDef,
  LocalFieldDef,
  CustomMetadataRecordDef,
  CustomPermissionInfo,
  SharingModel,
} from './types.js';
