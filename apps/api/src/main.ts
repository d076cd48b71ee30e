import { hostModule, loadConfig, requireDatabaseUrl, runProcess } from '@tocsin/config';
import { ApiModule } from './api.module';
import { createHttpApp } from './http/http-app';

/** The API alone; workers run apart (`npm run start:worker`). */
runProcess(async () => {
  const config = loadConfig(process.env);
  requireDatabaseUrl(config, 'API');
  const app = await createHttpApp(hostModule(ApiModule, config), config);
  await app.listen({ port: config.port, host: config.host });
  return app;
});
