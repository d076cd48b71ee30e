import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, hostModule, loadConfig } from '@tocsin/config';
import { DATABASE, Database } from '@tocsin/database';
import { createPostgresDatabase, DatabaseDriver, dropPostgresDatabase } from '@tocsin/database/testing';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createHttpApp } from '../../apps/api/src/http/http-app';
import { ApiModule } from '../../apps/api/src/api.module';
import { TocsinModule } from '../../apps/tocsin/src/tocsin.module';

export const ADMIN_KEY = 'tk_e2e-admin-key-000000000000000000000';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  db: Database;
  config: AppConfig;
  /** Headers of a request made with `key` (default: the admin key). */
  as(key?: string): { authorization: string };
  close(): Promise<void>;
}

/**
 * The whole app (API and worker, as `npm start` runs it; or the API alone, for tests that run workers as
 * processes of their own) on a fresh database: a new PostgreSQL database or PGlite in a temporary folder.
 * Real Redis, with a queue prefix of its own.
 */
export async function startTestApp(
  driver: DatabaseDriver = 'postgres',
  env: Record<string, string> = {},
  face: 'all' | 'api' = 'all',
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-e2e-'));
  const databaseUrl = driver === 'postgres' ? await createPostgresDatabase() : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `tocsin-test-${process.pid}-${Date.now()}`,
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...env,
  });
  const app = await createHttpApp(hostModule(face === 'all' ? TocsinModule : ApiModule, config), config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: request(app.getHttpServer()),
    db: app.get<Database>(DATABASE),
    config,
    as: (key = ADMIN_KEY) => ({ authorization: `Bearer ${key}` }),
    close: async () => {
      await app.close();
      if (databaseUrl) await dropPostgresDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates an API key of `role` and returns it. */
export async function createKey(test: TestApp, role: string, name = `${role} key`): Promise<string> {
  const response = await test.http.post('/v1/api-keys').set(test.as()).send({ name, role }).expect(201);
  return response.body.key as string;
}
