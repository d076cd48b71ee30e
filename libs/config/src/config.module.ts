import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { Clock } from './clock';
import { AppConfig, loadConfig } from './config';
import { SecretBox } from './secret-box';
import { secretBoxFor } from './secrets-key';

@Global()
@Module({})
export class ConfigModule {
  /** Settings from the environment, or the given ones (tests). */
  static forRoot(config: AppConfig = loadConfig(process.env)): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        Clock,
        { provide: SecretBox, useFactory: () => openSecretBox(config) },
      ],
      exports: [AppConfig, Clock, SecretBox],
    };
  }
}

function openSecretBox(config: AppConfig): SecretBox {
  const box = secretBoxFor(config);
  if (!config.secretsKey) {
    // Processes that share one PostgreSQL must share this key too: one DATA_DIR, or one SECRETS_KEY.
    const shared = config.databaseUrl
      ? '; every process on this DATABASE_URL needs the same key (share DATA_DIR or set SECRETS_KEY)'
      : '';
    new Logger('Secrets').log(
      `secrets at rest are sealed with ${box.keySource} (SECRETS_KEY is unset)${shared}`,
    );
  }
  return box;
}
