import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { pathwaySearchAttributes } from '../workflows/search-attributes';

const { IndexedValueType } = proto.temporal.api.enums.v1;
const indexed: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers the pathway search attributes through the OperatorService: on a self-hosted
 * cluster, and on the time-skipping test server, which takes no flag for them.
 * `skip` names attributes already there.
 */
export async function addPathwaySearchAttributes(connection: Connection, namespace: string, skip: string[] = []): Promise<number> {
  const missing = pathwaySearchAttributes.filter((k) => !skip.includes(k.name));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, indexed[k.type]!])),
    });
  }
  return missing.length;
}
