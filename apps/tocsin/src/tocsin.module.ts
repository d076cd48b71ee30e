import { Module } from '@nestjs/common';
import { ApiModule } from '../../api/src/api.module';
import { WorkerModule } from '../../worker/src/worker.module';

/** The embedded default: API and worker in one process (`npm start`). */
@Module({ imports: [ApiModule, WorkerModule] })
export class TocsinModule {}
