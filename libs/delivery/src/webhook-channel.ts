import { Injectable } from '@nestjs/common';
import { WebhookSecrets, WebhookSender } from '@tocsin/webhooks';
import { AttemptResult, attemptThatThrew, Channel } from './channel';
import type { WebhookDeliveryToSend } from './deliveries.repository';

/** Signed webhooks (Standard Webhooks): the `webhook-id` is the delivery id, the same on every retry. */
@Injectable()
export class WebhookChannel implements Channel<'webhook'> {
  constructor(
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecrets,
  ) {}

  accepts(row: WebhookDeliveryToSend): boolean {
    return row.endpoint.enabled;
  }

  // Not async: the sender's promise is handed on as it is, one promise per delivery on the batch's hot path.
  send(row: WebhookDeliveryToSend, at: Date): Promise<AttemptResult> {
    let secrets: string[];
    try {
      secrets = this.secrets.signingSecretsOf(row.endpoint, at);
    } catch (error) {
      // A secret that does not open (sealed with another key, altered) fails this delivery, not its batch.
      return Promise.resolve(attemptThatThrew(error, 0));
    }
    // The sender never rejects: a refused address, a timeout or a 500 is an outcome.
    return this.sender.send({
      url: row.endpoint.url,
      id: row.id,
      timestamp: at,
      body: row.payloadJson,
      secrets,
    });
  }
}
