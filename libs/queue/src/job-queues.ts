import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { Queue } from 'bullmq';
import { JobData, JobName, jobOptions, QUEUE, QUEUE_OF, QueueName } from './jobs';

/** Producers for every queue, shared by the API and the worker. */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  private readonly queues: Map<QueueName, Queue>;

  constructor(config: AppConfig) {
    const connection = redisConnectionOptions(config.redisUrl);
    this.queues = new Map(
      Object.values(QUEUE).map((name) => {
        const queue = new Queue(name, { connection, prefix: config.queuePrefix });
        // While Redis is away every command fails and is handled where it was made; the connection's own
        // errors would otherwise be printed raw.
        queue.on('error', () => undefined);
        return [name, queue];
      }),
    );
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  async add<N extends JobName>(name: N, data: JobData[N], delayMs = 0): Promise<void> {
    await this.queue(QUEUE_OF[name]).add(name, data, jobOptions(name, data, delayMs));
  }

  /** Adds many jobs of one name in one round trip; `delayMsOf` gives each its own delay. */
  async addBulk<N extends JobName>(
    name: N,
    items: JobData[N][],
    delayMsOf: (data: JobData[N]) => number = () => 0,
  ): Promise<void> {
    if (!items.length) return;
    await this.queue(QUEUE_OF[name]).addBulk(
      items.map((data) => ({ name, data, opts: jobOptions(name, data, delayMsOf(data)) })),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    // Closing while Redis is away must not fail the shutdown: there is nothing left to flush.
    await Promise.all(
      [...this.queues.values()].map((queue) => queue.close().catch(() => queue.disconnect())),
    );
  }
}

/**
 * BullMQ connection options. Producers fail fast while Redis is away (so the outbox relay notices and
 * retries later) rather than queueing commands in memory; workers wait for Redis to come back.
 */
export function redisConnectionOptions(url: string, role: 'producer' | 'worker' = 'producer') {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    enableOfflineQueue: role === 'worker',
    maxRetriesPerRequest: null,
  };
}

/** `promise`, or a rejection after `ms`. */
export function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
