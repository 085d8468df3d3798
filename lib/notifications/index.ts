import "server-only";
export { listWebhooks, createWebhook, removeWebhook, listDeliveries, signWebhook, verifyWebhook, type WebhookView } from "./webhooks";
export { subscribePush, subscribeSms, parsePhone, type PushSubscriptionInput } from "./subscriptions";
export { deliverOutbox, guestMessage, webhookBody, type NotificationChannels } from "./sender";
export { HttpSmsGateway, type SmsAdapter } from "./sms";
export { assertDeliverableUrl, isPrivateAddress } from "./outbound";
