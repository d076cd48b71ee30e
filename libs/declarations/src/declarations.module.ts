import { Module } from '@nestjs/common';
import { SchemesModule } from '@tocsin/schemes';
import { AudienceModule } from '@tocsin/subscribers';
import { DeclarationsRepository } from './declarations.repository';
import { DeclarationsService } from './declarations.service';
import { DueEventsService } from './due-events.service';
import { LevelsService } from './levels.service';
import { OutboxRepository } from './outbox.repository';

@Module({
  imports: [SchemesModule, AudienceModule],
  providers: [DeclarationsRepository, OutboxRepository, DeclarationsService, DueEventsService, LevelsService],
  // The outbox's one owner: the relay, the fan-out and the stream read and mark it through OutboxRepository.
  exports: [DeclarationsService, DueEventsService, LevelsService, OutboxRepository],
})
export class DeclarationsModule {}
