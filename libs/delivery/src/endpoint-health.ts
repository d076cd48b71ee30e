// Pure: when an endpoint has failed long enough to be disabled, and the email that tells its contact.
import { redactWebhookUrl, WebhookEndpoint } from '@tocsin/webhooks';
import escape from 'escape-html';

/**
 * True when every delivery to the endpoint since its last success has failed, the first of them at least
 * `thresholdMs` ago: one bad hour does not disable a receiver, days of nothing but failures do.
 */
export function failingTooLong(
  firstFailureSinceSuccess: Date | null,
  now: Date,
  thresholdMs: number,
): boolean {
  return (
    firstFailureSinceSuccess !== null && now.getTime() - firstFailureSinceSuccess.getTime() >= thresholdMs
  );
}

export function endpointDisabledEmail(endpoint: WebhookEndpoint, reason: string, apiBase: string) {
  const text = [
    `Tocsin stopped sending threat-level events to your webhook endpoint ${redactWebhookUrl(endpoint.url)} (${endpoint.id}).`,
    '',
    `Why: ${reason}`,
    '',
    'Nothing more is sent until it is enabled again. Once the receiver works:',
    `- enable it: PATCH ${apiBase}/v1/webhooks/${endpoint.id} with {"enabled": true}`,
    `- send what it missed: POST ${apiBase}/v1/webhooks/${endpoint.id}/recover with {"since": "<instant>"}`,
    `- see every attempt: GET ${apiBase}/v1/webhooks/${endpoint.id}/deliveries`,
  ].join('\n');
  return {
    subject: `Tocsin disabled your webhook endpoint ${redactWebhookUrl(endpoint.url)}`,
    text,
    html: `<!doctype html>\n<html><body><pre style="font-family: system-ui, sans-serif; white-space: pre-wrap">${escape(text)}</pre></body></html>`,
  };
}
