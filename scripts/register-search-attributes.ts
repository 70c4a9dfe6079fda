/**
 * `npm run register-search-attributes`: registers the pathway search attributes in the
 * namespace the TEMPORAL_* variables name. Needed once per namespace on a self-hosted
 * cluster (the embedded dev server registers them itself). Safe to run again.
 */
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { loadConfig } from '../worker/config';
import { connectionOptions } from '../worker/connection';
import { pathwaySearchAttributes } from '../workflows/search-attributes';

const { IndexedValueType } = proto.temporal.api.enums.v1;
const indexed: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

const config = loadConfig();
const connection = await Connection.connect(connectionOptions(config));
const existing = await connection.operatorService.listSearchAttributes({ namespace: config.TEMPORAL_NAMESPACE });
const missing = pathwaySearchAttributes.filter((k) => !(k.name in (existing.customAttributes ?? {})));
if (missing.length > 0) {
  await connection.operatorService.addSearchAttributes({
    namespace: config.TEMPORAL_NAMESPACE,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, indexed[k.type]!])),
  });
}
console.log(`search attributes: ${missing.length} added, ${pathwaySearchAttributes.length - missing.length} already there (namespace ${config.TEMPORAL_NAMESPACE})`);
await connection.close();
