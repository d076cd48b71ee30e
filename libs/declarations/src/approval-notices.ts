import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { MailTransport } from '@tocsin/mail';
import { JOB, JobData, JobQueues } from '@tocsin/queue';
import { ApprovalAsk, approvalNoticeMail } from './approval-notice';
import { DeclarationsRepository } from './declarations.repository';

export type ApprovalNoticeOutcome = { kind: 'sent'; to: number } | { kind: 'skipped'; reason: string };

/**
 * Tells APPROVAL_NOTIFY_EMAILS that something awaits a second key. The ask is a job added once the act has
 * committed, so a slow or absent mail server never holds up a publisher, and the worker's retries carry it
 * through a mail server's hiccup; the job carries ids, the declaration row says whether it still waits.
 */
@Injectable()
export class ApprovalNotices {
  private readonly logger = new Logger(ApprovalNotices.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly queues: JobQueues,
    private readonly repository: DeclarationsRepository,
    private readonly mail: MailTransport,
  ) {}

  /** Asks for the email, after the act committed; a queue that is away is logged, never the publisher's error. */
  tell(notice: { declarationId: string; asked: ApprovalAsk }): void {
    if (!this.config.approvalNotifyEmails.length) return;
    const data: JobData[typeof JOB.notifyApprovers] = {
      ...notice,
      askedAt: this.clock.now().toISOString(),
    };
    this.queues.add(JOB.notifyApprovers, data).catch((error: unknown) => {
      this.logger.warn(
        `could not ask for the approval email of ${notice.declarationId}: ${describeError(error)}`,
      );
    });
  }

  /** The worker's job: sends the email to every address, unless what it is about was decided meanwhile. */
  async send(data: JobData[typeof JOB.notifyApprovers]): Promise<ApprovalNoticeOutcome> {
    const declaration = await this.repository.findById(data.declarationId, this.clock.now());
    if (!declaration) return { kind: 'skipped', reason: 'no such declaration' };
    const waiting =
      data.asked === 'publication'
        ? declaration.approval === 'pending' && declaration.cancelledAt === null
        : declaration.cancelRequest !== null && declaration.cancelledAt === null;
    if (!waiting) return { kind: 'skipped', reason: 'decided already' };
    const consoleUrl = `${this.config.publicUrl}/admin#declarations`;
    const message = approvalNoticeMail(declaration, data.asked, consoleUrl);
    const addresses = this.config.approvalNotifyEmails;
    for (const [i, to] of addresses.entries()) {
      await this.mail.send({
        to,
        ...message,
        // The same ask mailed again (a retried job) is recognisably the same message.
        messageId: `<approval.${declaration.id}.${data.asked}.${Date.parse(data.askedAt)}.${i}@tocsin>`,
      });
    }
    return { kind: 'sent', to: addresses.length };
  }
}
