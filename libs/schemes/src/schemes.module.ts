import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { SchemesRepository } from './schemes.repository';
import { SchemesService } from './schemes.service';

@Module({ imports: [AuditModule], providers: [SchemesRepository, SchemesService], exports: [SchemesService] })
export class SchemesModule {}
