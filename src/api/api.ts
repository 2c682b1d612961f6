/** The Engine API: the router with every resource's routes over its backend, and the server. */
import type http from 'node:http';
import type https from 'node:https';
import type { Engine } from '../engine/engine.ts';
import { Router } from './router.ts';
import { createApiServer } from './server.ts';
import { engineBackends, type Backends } from './backends.ts';
import { registerSystemRoutes } from './routes/system.ts';
import { registerContainerRoutes } from './routes/containers.ts';
import { registerContainerDataRoutes } from './routes/container-data.ts';
import { registerExecRoutes } from './routes/exec.ts';
import { registerImageRoutes } from './routes/images.ts';
import { registerDistributionRoutes } from './routes/distribution.ts';
import { registerPluginRoutes } from './routes/plugins.ts';
import { registerNetworkRoutes } from './routes/networks.ts';
import { registerVolumeRoutes } from './routes/volumes.ts';
import { registerBuildRoutes } from './routes/build.ts';

export function buildRouter(backends: Backends): Router {
  const router = new Router();
  registerSystemRoutes(router, backends.system);
  registerContainerRoutes(router, backends.containers);
  registerContainerDataRoutes(router, backends.containerData);
  registerExecRoutes(router, backends.exec);
  registerImageRoutes(router, backends.images);
  registerDistributionRoutes(router, backends.distribution);
  registerPluginRoutes(router);
  registerNetworkRoutes(router, backends.networks);
  registerVolumeRoutes(router, backends.volumes);
  registerBuildRoutes(router, backends.build);
  return router;
}

export function createEngineApi(engine: Engine, tls?: https.ServerOptions): http.Server {
  return createApiServer(buildRouter(engineBackends(engine)), tls);
}
