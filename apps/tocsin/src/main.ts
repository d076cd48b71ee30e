import { hostModule, loadConfig, runProcess } from '@tocsin/config';
import { createHttpApp } from '../../api/src/http/http-app';
import { TocsinModule } from './tocsin.module';

runProcess(async () => {
  const config = loadConfig(process.env);
  const app = await createHttpApp(hostModule(TocsinModule, config), config);
  await app.listen({ port: config.port, host: config.host });
  return app;
});
