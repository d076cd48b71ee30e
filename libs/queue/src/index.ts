export { QueueModule, REDIS } from './queue.module';
export { connectRedis } from './redis';
