export { WebhookHostUnresolved, WebhookTargetRefused } from './ssrf-guard';
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
export { generateWebhookSecret, signingSecrets, signWebhook } from './webhook-signer';
export { checkWebhookUrl, classifyAddress, isPublicAddress } from './webhook-url';
export { WebhooksModule } from './webhooks.module';
