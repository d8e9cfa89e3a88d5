import { afterEach, beforeEach, vi } from 'vitest';
import { describeWhatsAppSessionContract } from '@whatisup/core/testing';
import { createInMemorySandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSessionFactory } from './sandbox-session-factory.js';

// The simulated phone's own steps (resuming, receipts) are timers: the driver runs them on demand.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describeWhatsAppSessionContract('sandbox adapter', async () => ({
  factory: createSandboxSessionFactory({
    credentials: createInMemorySandboxCredentialStore(),
    timings: { autoScanMs: null, resumeDelayMs: 100, receiptDelayMs: 250 },
  }),
  driver: {
    completePairing: (session) => session.scan(),
    deliverInbound: async (session, { from, text }) => void (await session.injectInbound({ from, content: { type: 'text', text } })),
    deliverReaction: async (session, { from, whatsappId, emoji }) =>
      void (await session.injectChange({ from, change: { type: 'reaction', target: { whatsappId, chatId: '', fromMe: true }, emoji } })),
    ringCall: async (session, { from }) => {
      const call = await session.injectEvent({ kind: 'call', from, isVideo: false });
      return 'callId' in call ? call.callId : '';
    },
    ackSent: async () => undefined, // the simulated phone reports sent, delivered and read after every send
    settle: async () => void (await vi.runAllTimersAsync()),
  },
}));
