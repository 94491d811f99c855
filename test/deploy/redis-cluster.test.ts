// Sessions on Redis Cluster (three masters, three replicas): the shared failover scenario, killing the
// master that holds the session's key.
import { describeFailover } from './helpers/failover-suite';
import { startRedisCluster } from './helpers/redis-ha';

describeFailover('sessions on Redis Cluster', async () => {
  const cluster = await startRedisCluster();
  return {
    env: { REDIS_CLUSTER_NODES: cluster.nodes },
    killMasterOf: (key) => cluster.killMasterOf(key),
    destroy: () => cluster.destroy(),
  };
});
