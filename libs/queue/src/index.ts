export { JobQueues, JobToAdd, redisConnectionOptions } from './job-queues';
export {
  DIGEST_SWEEP_JOB_ID,
  JOB,
  JobData,
  JobName,
  jobOptions,
  pollJobId,
  QUEUE,
  QUEUE_OF,
  QueueName,
  TRIP_CLOCK_JOB_ID,
} from './jobs';
export { KeptJobScheduler, SweepJob } from './kept-job-scheduler';
export { QueueModule, REDIS } from './queue.module';
export { connectRedis, withinMs } from './redis';
export { LiveEventMessage, liveEventsChannel } from './live-events';
export { autostartPort, findOnPath, LocalRedis, startRedisIfMissing } from './local-redis';
