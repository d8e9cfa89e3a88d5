export * from './event-token.js';
export * from './event-token-key.js';
export * from './mint-event-token.js';
export * from './verify-event-token.js';
