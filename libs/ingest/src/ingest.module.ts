import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { DeclarationsModule } from '@tocsin/declarations';
import { SchemesModule } from '@tocsin/schemes';
import { CapFetcher } from './cap-fetcher';
import { IngestService } from './ingest.service';
import { PollSchedule } from './poll-schedule';
import { SourcesRepository } from './sources.repository';
import { SourcesService } from './sources.service';

/** Other authorities' CAP alerts: sources, their polls and pushes, and the import of each document. */
@Module({
  imports: [AuditModule, DeclarationsModule, SchemesModule],
  providers: [SourcesRepository, SourcesService, IngestService, PollSchedule, CapFetcher],
  exports: [SourcesService, IngestService],
})
export class IngestModule {}
