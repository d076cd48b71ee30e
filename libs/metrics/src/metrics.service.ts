import { Injectable } from '@nestjs/common';
import { JobQueues, QUEUE, withinMs } from '@tocsin/queue';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** The process's Prometheus metrics. Counters live in the process that does the work (the worker). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly deliveries = new Counter({
    name: 'tocsin_deliveries_total',
    help: 'Delivery attempts by channel and outcome (delivered, retry, failed, gone, skipped).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly deliveryLatency = new Histogram({
    name: 'tocsin_delivery_latency_seconds',
    help: 'Time of one delivery attempt, from sending to the answer.',
    labelNames: ['channel'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly ingestItems = new Counter({
    name: 'tocsin_ingest_items_total',
    help: 'CAP documents brought by sources (polled or pushed), by outcome (imported, duplicate, rejected).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly fanOutDuration = new Histogram({
    name: 'tocsin_fanout_duration_seconds',
    help: 'Time to create the delivery rows and batch jobs of one event.',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor(queues: JobQueues) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tocsin_' });
    new Gauge({
      name: 'tocsin_queue_jobs',
      help: 'Jobs in each queue by state, read from Redis at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const name of Object.values(QUEUE)) {
          // A scrape while Redis is away reports no depth rather than failing or hanging.
          const counts = await withinMs(queues.queue(name).getJobCounts(...JOB_STATES), 1000).catch(
            () => null,
          );
          if (!counts) continue;
          for (const state of JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
