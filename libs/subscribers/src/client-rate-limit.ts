import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { REDIS } from '@tocsin/queue';
import type Redis from 'ioredis';

export interface RateVerdict {
  allowed: boolean;
  /** Seconds until the window ends, for Retry-After. */
  retryAfterSeconds: number;
}

/**
 * A fixed-window counter per client in Redis, shared by every API process. If Redis is away the request is
 * let through: sign-up must keep working, and the per-address limit (in the database) still holds.
 */
@Injectable()
export class ClientRateLimit {
  private readonly logger = new Logger(ClientRateLimit.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async hit(bucket: string, client: string, limit: number, windowSeconds: number): Promise<RateVerdict> {
    const window = Math.floor(Date.now() / 1000 / windowSeconds);
    const key = `${this.config.queuePrefix}:rate:${bucket}:${client}:${window}`;
    try {
      const [[, count]] = (await this.redis.multi().incr(key).expire(key, windowSeconds).exec()) as [
        [Error | null, number],
      ];
      const retryAfterSeconds = (window + 1) * windowSeconds - Math.floor(Date.now() / 1000);
      return { allowed: count <= limit, retryAfterSeconds };
    } catch (error) {
      this.logger.warn(`rate limit not applied, Redis unavailable: ${(error as Error).message}`);
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }
}
