import { hostModule, loadConfig, runProcess } from '@tocsin/config';
import { startRedisIfMissing } from '@tocsin/queue';
import { createHttpApp } from '../../api/src/http/http-app';
import { TocsinModule } from './tocsin.module';

runProcess(async () => {
  const config = loadConfig(process.env);
  // A newcomer's `npm start` without a Redis: one of our own, stopped after the app (its jobs) has closed.
  const redis = await startRedisIfMissing(config, process.env);
  try {
    const app = await createHttpApp(hostModule(TocsinModule, config), config);
    await app.listen({ port: config.port, host: config.host });
    return redis ? { close: () => app.close().finally(() => redis.stop()) } : app;
  } catch (error) {
    await redis?.stop();
    throw error;
  }
});
