export { WebhookEndpoint } from './webhook-endpoint';
export {
  DEFAULT_GRACE_PERIOD_SECONDS,
  MAX_GRACE_PERIOD_SECONDS,
  NewWebhookEndpoint,
  RotatedSecret,
  TestPingOutcome,
  WebhookEndpointChange,
  WebhookEndpointQuery,
  WebhookEndpointsService,
} from './webhook-endpoints.service';
export { SealedSigningSecrets, WebhookSecrets } from './webhook-secrets';
export { WebhookMessage, WebhookSender, WebhookSendResult } from './webhook-sender';
export { WebhooksModule } from './webhooks.module';
// The SSRF guard and URL rule, also applied by libs/ingest to the feeds and documents it fetches.
export { createGuardedAgent, WebhookHostUnresolved, WebhookTargetRefused } from './ssrf-guard';
export { checkWebhookUrl, redactWebhookUrl } from './webhook-url';
export { describeSendError } from './webhook-sender';
