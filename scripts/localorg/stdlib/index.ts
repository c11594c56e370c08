/**
 * The Apex standard library in TypeScript. The interpreter resolves type names through findNativeClass and calls
 * the NativeFn implementations; see core/runtime.ts for the NativeClass contract. Helpers the interpreter and the
 * org need (tokens, collection operations, JSON conversion, custom settings) are re-exported here.
 */
import type { NativeClass } from '../core/runtime.js';
import { findNativeClass, registerNativeClass, registeredNativeClasses } from './registry.js';
import { stringClasses } from './string.js';
import { numberClasses } from './numbers.js';
import { collectionClasses, ListClass, MapClass, SetClass, setSObjectTypeTokenFn } from './collections.js';
import { schemaClasses, sobjectTypeToken } from './apex-schema.js';
import { sobjectClasses } from './sobject.js';
import { systemClasses, setCollectionCtor } from './system.js';
import { dateClasses } from './dates.js';
import { cryptoClasses } from './crypto.js';
import { httpClasses } from './http.js';
import { jsonClasses, JSONClass } from './json.js';
import { createGenerator, createParser, jsonStreamClasses } from './json-stream.js';
import { reqBool, reqStr } from './util.js';
import { databaseClasses } from './apex-database.js';
import { settingsStatics } from './settings.js';
import { SObjectClass } from './sobject.js';
import { platformCacheClasses } from './platform-cache.js';
import { asyncClasses, databaseAsyncStatics, systemAsyncStatics, testAsyncStatics } from './async.js';
import { DatabaseClass } from './apex-database.js';
import { SystemClass, TestClass } from './system.js';
import { searchClasses } from './search.js';
import { messagingClasses } from './messaging.js';

const modules: NativeClass[][] = [
  stringClasses,
  numberClasses,
  collectionClasses,
  schemaClasses,
  sobjectClasses,
  systemClasses,
  dateClasses,
  cryptoClasses,
  httpClasses,
  jsonClasses,
  jsonStreamClasses,
  databaseClasses,
  platformCacheClasses,
  asyncClasses,
  searchClasses,
  messagingClasses,
];

// X__c.getOrgDefaults() / X__mdt.getAll(): the interpreter calls them as 'SObject' statics with self = object name.
SObjectClass.statics = { ...(SObjectClass.statics ?? {}), ...settingsStatics };

// Batch Apex and System.schedule live in async.ts.
DatabaseClass.statics = { ...DatabaseClass.statics, ...databaseAsyncStatics };
SystemClass.statics = { ...SystemClass.statics, ...systemAsyncStatics };
TestClass.statics = { ...TestClass.statics, ...testAsyncStatics };

// JSON.createGenerator(pretty) / JSON.createParser(text) live in json-stream.ts (which builds on json.ts).
JSONClass.statics = {
  ...JSONClass.statics,
  creategenerator: (_rt, a) => createGenerator(reqBool(a[0])),
  createparser: (_rt, a) => createParser(reqStr(a[0])),
};

if (registeredNativeClasses().length === 0)
  for (const group of modules) for (const cls of group) registerNativeClass(cls);

setSObjectTypeTokenFn(sobjectTypeToken);
setCollectionCtor((name) => {
  const c = { List: ListClass, Set: SetClass, Map: MapClass }[name as 'List' | 'Set' | 'Map'];
  return c.construct!;
});

/** Every native class, in registration order. */
export const nativeClasses: NativeClass[] = registeredNativeClasses();
export { findNativeClass };

export {
  sobjectTypeToken,
  fieldToken,
  describeSObject,
  describeField,
  stripInaccessible,
  isUserMode,
} from './apex-schema.js';
export { sobjectGet, sobjectPut, coerceForField, makeDatabaseError } from './sobject.js';
export {
  setAdd,
  setContains,
  setRemove,
  mapPut,
  mapGet,
  mapContainsKey,
  mapRemove,
  iterableItems,
  compareForSort,
  cloneSObject,
} from './collections.js';
export { typeToken, typeOfToken, makeEnum, stateOf } from './util.js';
export {
  enqueueJob,
  makeQueueableContext,
  makeSchedulableContext,
  makeSandboxContext,
  makeInstallContext,
  timeZoneInstance,
} from './system.js';
export { parseIsoDatetime, simpleDateFormat, userZone } from './dates.js';
export { toJsonValue, fromJsonValue, toJsonTree, writeJson, writeJsonPretty, parseJson, untyped } from './json.js';
export { httpSend, setRestContext, readRestResponse, newHttpRequest, newHttpResponse, calloutTimeMs } from './http.js';
export { aesEncrypt, aesDecrypt, javaUrlEncode, javaUrlDecode } from './crypto.js';
export { runDml, makeResult, statusCode, type DmlExceptionRow } from './apex-database.js';
export { settingsStatics } from './settings.js';
export { copyGraph, makeBatchableContext, queryLocatorRows } from './async.js';
