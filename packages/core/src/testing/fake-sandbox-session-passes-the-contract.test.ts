import { describeWhatsAppSessionContract } from './contracts/whatsapp-session.contract.js';
import { createFakeSandboxSessionFactory } from './fake-sandbox-session-factory.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

// The scriptable createFakeWhatsAppSessionFactory is not run here on purpose: it never acts on its own and
// delivers events even after close, so tests of the session manager can simulate late socket events.
describeWhatsAppSessionContract('in-memory sandbox', async () => ({
  factory: createFakeSandboxSessionFactory({ reportReceipts: true }),
  driver: {
    completePairing: (session) => session.scan(),
    deliverInbound: async (session, { from, text }) => void (await session.injectInbound({ from, content: { type: 'text', text } })),
    deliverReaction: async (session, { from, whatsappId, emoji }) =>
      void (await session.injectChange({ from, change: { type: 'reaction', target: { whatsappId, chatId: '', fromMe: true }, emoji } })),
    ringCall: async (session, { from }) => {
      const call = await session.injectEvent({ kind: 'call', from, isVideo: false });
      return 'callId' in call ? call.callId : '';
    },
    ackSent: async () => undefined, // receipts come on their own after every send
    settle: nextTurn,
  },
}));
