import { Module } from '@nestjs/common';
import { AudienceRepository } from './audience.repository';

/**
 * Counting whom a change would reach, as a module of its own: the declarations preview needs only this
 * (the database), not sign-up, mail and Redis.
 */
@Module({ providers: [AudienceRepository], exports: [AudienceRepository] })
export class AudienceModule {}
