/** The Engine API: the router with every resource's routes, and the server. */
import type http from 'node:http';
import type https from 'node:https';
import type { Engine } from '../engine/engine.ts';
import { Router } from './router.ts';
import { createApiServer } from './server.ts';
import { registerSystemRoutes } from './routes/system.ts';
import { registerContainerRoutes } from './routes/containers.ts';
import { registerContainerDataRoutes } from './routes/container-data.ts';
import { registerExecRoutes } from './routes/exec.ts';
import { registerImageRoutes } from './routes/images.ts';

export function buildRouter(): Router {
  const router = new Router();
  registerSystemRoutes(router);
  registerContainerRoutes(router);
  registerContainerDataRoutes(router);
  registerExecRoutes(router);
  registerImageRoutes(router);
  return router;
}

export function createEngineApi(engine: Engine, tls?: https.ServerOptions): http.Server {
  return createApiServer(engine, buildRouter(), tls);
}
