/**
 * `npm run register-search-attributes`: registers the pathway search attributes in the
 * namespace the TEMPORAL_* variables name. Needed once per namespace on a self-hosted
 * cluster (the embedded dev server registers them itself). Safe to run again.
 */
import { Connection } from '@temporalio/client';
import { loadConfig } from '../worker/config';
import { connectionOptions } from '../worker/connection';
import { pathwaySearchAttributes } from '../workflows/search-attributes';
import { addPathwaySearchAttributes } from './search-attributes-admin';

const config = loadConfig();
const connection = await Connection.connect(connectionOptions(config));
const existing = await connection.operatorService.listSearchAttributes({ namespace: config.TEMPORAL_NAMESPACE });
const added = await addPathwaySearchAttributes(connection, config.TEMPORAL_NAMESPACE, Object.keys(existing.customAttributes ?? {}));
console.log(`search attributes: ${added} added, ${pathwaySearchAttributes.length - added} already there (namespace ${config.TEMPORAL_NAMESPACE})`);
await connection.close();
