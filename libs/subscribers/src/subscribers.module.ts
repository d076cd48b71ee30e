import { Module } from '@nestjs/common';
import { SchemesModule } from '@tocsin/schemes';
import { FilterInputs } from './filter-input';

@Module({
  imports: [SchemesModule],
  providers: [FilterInputs],
  exports: [FilterInputs],
})
export class SubscribersModule {}
