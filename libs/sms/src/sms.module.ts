import { Module } from '@nestjs/common';
import { SmsTransport } from './sms-transport';

@Module({ providers: [SmsTransport], exports: [SmsTransport] })
export class SmsModule {}
