import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the cluster's Temporal services listen (gRPC, membership) and where PostgreSQL does. */
export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** Membership (ringpop) ports, one per service: frontend, history, matching, worker. */
  membership: [number, number, number, number];
  metrics: number;
  postgres: number;
}

/** The ports counted from the frontend's: the layout of Temporal's own development configs, moved. */
export const portsFrom = (frontend: number, postgres: number): ClusterPorts => ({
  frontend,
  frontendHttp: frontend + 10,
  history: frontend + 1,
  matching: frontend + 2,
  worker: frontend + 6,
  membership: [frontend - 300, frontend - 299, frontend - 298, frontend - 294],
  metrics: frontend + 767,
  postgres,
});

/** The server's command line for a folder `writeServerConfig` wrote. */
export const serverArgs = (root: string) => ['--root', root, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'];

/**
 * Writes the server's configuration under `dir/config` (`development.yaml`, read with
 * `--env development`): PostgreSQL for persistence and for SQL visibility (which holds the
 * pathway search attributes), several history shards, every service on loopback. Returns the
 * folder to give as `--root`.
 */
export function writeServerConfig(dir: string, ports: ClusterPorts, shards = 4): string {
  const [mf, mh, mm, mw] = ports.membership;
  const store = (db: string, conns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: "${db}"
        connectAddr: "127.0.0.1:${ports.postgres}"
        connectProtocol: "tcp"
        user: "postgres"
        password: ""
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, membership: number, extra = '') => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${extra}`;
  const yaml = `log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${shards}
  datastores:
    postgres-default:${store('temporal', 20)}
    postgres-visibility:${store('temporal_visibility', 5)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
  metrics:
    prometheus:
      framework: "tally"
      timerType: "histogram"
      listenAddress: "127.0.0.1:${ports.metrics}"
services:
  frontend:${service(ports.frontend, mf, `\n      httpPort: ${ports.frontendHttp}`)}
  history:${service(ports.history, mh)}
  matching:${service(ports.matching, mm)}
  worker:${service(ports.worker, mw)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${join(dir, 'config', 'dynamicconfig.yaml')}"
  pollInterval: "10s"
`;
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', 'development.yaml'), yaml);
  // Visibility lists pathways by their search attributes: let the server accept the registered ones at once.
  writeFileSync(join(dir, 'config', 'dynamicconfig.yaml'), 'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n    constraints: {}\n');
  return dir;
}
