import { Module } from '@nestjs/common';
import { SchemesModule } from '@tocsin/schemes';
import { DeclarationsRepository } from './declarations.repository';
import { DeclarationsService } from './declarations.service';
import { LevelsService } from './levels.service';

@Module({
  imports: [SchemesModule],
  providers: [DeclarationsRepository, DeclarationsService, LevelsService],
  exports: [DeclarationsService, LevelsService],
})
export class DeclarationsModule {}
