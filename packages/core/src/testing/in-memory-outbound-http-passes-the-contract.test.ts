import { describeOutboundHttpContract } from './contracts/outbound-http.contract.js';
import { createInMemoryOutboundHttp } from './in-memory-outbound-http.js';

describeOutboundHttpContract('in-memory', async () => {
  const http = createInMemoryOutboundHttp();
  return { http, serve: async (answer) => http.serve(answer), received: http.received, refusesPrivateAddresses: true };
});
