import { NestFactory } from '@nestjs/core';
import { hostModule, loadConfig, runProcess } from '@tocsin/config';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** A worker alone, for production (several replicas against one Redis). */
runProcess(async () => {
  const config = loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(hostModule(WorkerModule, config), {
    bufferLogs: true,
    abortOnError: false,
    logger: false,
  });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
});
