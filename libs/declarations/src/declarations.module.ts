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
  exports: [DeclarationsService, DueEventsService, LevelsService],
})
export class DeclarationsModule {}
