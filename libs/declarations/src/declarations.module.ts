import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { MailModule } from '@tocsin/mail';
import { SchemesModule } from '@tocsin/schemes';
import { AudienceModule } from '@tocsin/subscribers';
import { ApprovalNotices } from './approval-notices';
import { DeclarationsRepository } from './declarations.repository';
import { DeclarationsService } from './declarations.service';
import { DueEventsService } from './due-events.service';
import { EventHandOff } from './event-hand-off';
import { LevelsService } from './levels.service';
import { OutboxRepository } from './outbox.repository';

// JobQueues (the approval emails' and the handed-off events' jobs) comes from the global QueueModule the host brings.
@Module({
  imports: [SchemesModule, AudienceModule, AuditModule, MailModule],
  providers: [
    DeclarationsRepository,
    OutboxRepository,
    DeclarationsService,
    DueEventsService,
    LevelsService,
    ApprovalNotices,
    EventHandOff,
  ],
  // The outbox's one owner: the relay, the fan-out and the stream read and mark it through OutboxRepository.
  exports: [
    DeclarationsService,
    DueEventsService,
    LevelsService,
    OutboxRepository,
    ApprovalNotices,
    EventHandOff,
  ],
})
export class DeclarationsModule {}
