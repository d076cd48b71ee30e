import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import type Redis from 'ioredis';
import { JobQueues } from './job-queues';
import { connectRedis } from './redis';

/** Injection token of the shared Redis connection (health checks, rate limits). */
export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [AppConfig], useFactory: (config: AppConfig) => connectRedis(config.redisUrl) },
    RedisLifecycle,
    JobQueues,
  ],
  exports: [REDIS, JobQueues],
})
export class QueueModule {}
