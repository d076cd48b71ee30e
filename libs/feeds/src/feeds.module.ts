import { Module } from '@nestjs/common';
import { DeclarationsModule } from '@tocsin/declarations';
import { SchemesModule } from '@tocsin/schemes';
import { FeedsService } from './feeds.service';

/** CAP documents and Atom feeds of the declarations. AppConfig comes from the global ConfigModule. */
@Module({
  imports: [DeclarationsModule, SchemesModule],
  providers: [FeedsService],
  exports: [FeedsService],
})
export class FeedsModule {}
