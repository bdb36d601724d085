/**
 * SMS for cards: the outbox, its sender, the gateways (Twilio, console) and Twilio's
 * webhooks. See docs/sms.md. This file says what the rest of the platform may use.
 */
export { consoleGateway } from './consoleClient.ts'
export { gatewayFromEnv, smsSettingsFromEnv, type SmsProvider, type SmsSettings } from './fromEnv.ts'
export { SmsSendError, type SendOptions, type SmsGateway } from './gateway.ts'
export { enqueue, failedMessages, messagesByIds, outboxMessages, recentMessages, type OutboxMessage, type OutboxStatus } from './outbox.ts'
export { startSmsSender, type SmsSender, type SmsSenderOptions } from './sender.ts'
export { createTwilioClient } from './twilioClient.ts'
export { twilioGateway, type Sender } from './twilioGateway.ts'
export {
  inboundSmsHandler, INBOUND_PATH, statusCallbackHandler, STATUS_PATH, statusUrl,
  type AckResult, type Handler, type OnAck, type WebhookOptions,
} from './webhooks.ts'
