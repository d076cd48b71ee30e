export { MailModule } from './mail.module';
export { MailError, MailMessage, MailTransport, SentMail } from './mail-transport';
