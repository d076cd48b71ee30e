import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { AppConfig, loadConfig } from './config';

@Global()
@Module({})
export class ConfigModule {
  /** Settings from the environment, or the given ones (tests). */
  static forRoot(config: AppConfig = loadConfig(process.env)): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }, Clock],
      exports: [AppConfig, Clock],
    };
  }
}
