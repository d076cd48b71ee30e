import { createServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { hostModule, loadConfig, requireDatabaseUrl, runProcess } from '@tocsin/config';
import { MetricsService } from '@tocsin/metrics';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** A worker alone, for production (several replicas against one Redis). */
runProcess(async () => {
  const config = loadConfig(process.env);
  requireDatabaseUrl(config, 'worker');
  const app = await NestFactory.createApplicationContext(hostModule(WorkerModule, config), {
    bufferLogs: true,
    abortOnError: false,
    logger: false,
  });
  app.useLogger(app.get(Logger));
  await app.init();
  if (config.workerMetricsPort === undefined) return app;

  // The worker's counters live in this process, so Prometheus scrapes it directly.
  const metrics = app.get(MetricsService);
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    metrics.render().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(config.workerMetricsPort, config.host, resolve));
  return {
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await app.close();
    },
  };
});
