export { AppConfig, ConfigError, loadConfig, redactUrl } from './config';
export { ConfigModule } from './config.module';
export { Clock } from './clock';
export { requireDatabaseUrl, runProcess } from './run-process';
export { describeError, describeErrorStack, loggerParams, requestIdOf } from './logging';
export { hostModule } from './host-module';
export { isSealed, SEALED_PREFIX, SecretBox, SecretNotOpened } from './secret-box';
