import { Module } from '@nestjs/common';
import { SchemesRepository } from './schemes.repository';
import { SchemesService } from './schemes.service';

@Module({ providers: [SchemesRepository, SchemesService], exports: [SchemesService] })
export class SchemesModule {}
