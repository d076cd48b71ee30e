import { DynamicModule, Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config';
import { ConfigModule } from './config.module';
import { loggerParams } from './logging';

/** `module` as the root of a process: with the settings and one logger shared by every face it hosts. */
export function hostModule(module: Type, config: AppConfig): DynamicModule {
  return { module, imports: [ConfigModule.forRoot(config), LoggerModule.forRoot(loggerParams(config))] };
}
