import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp } from '../src/index.js';
import { startReceiver, type LoopbackReceiver } from './support/loopback-receiver.js';

let target: LoopbackReceiver;
let redirector: LoopbackReceiver;

beforeAll(async () => {
  // A loopback address that is not allowed: a redirect there is a redirect to a private address.
  target = await startReceiver((_request, response) => response.end('reached'), { host: '127.0.0.2' });
  redirector = await startReceiver((request, response) => {
    const location = request.url === '/metadata' ? 'http://169.254.169.254/latest/meta-data/' : `${target.origin}/`;
    response.writeHead(request.url === '/permanent' ? 308 : 302, { location }).end();
  });
});

afterAll(async () => {
  await redirector.close();
  await target.close();
});

describe('redirects', () => {
  const http = () => createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'] });

  it.each(['/found', '/permanent', '/metadata'])('are returned as the 3xx result of %s, never followed', async (path) => {
    const result = await http().send({ method: 'POST', url: `${redirector.origin}${path}`, body: '{}' });
    expect(result).toMatchObject({ kind: 'response', status: path === '/permanent' ? 308 : 302 });
    expect(result.kind === 'response' && result.headers['location']).toMatch(/^http:\/\//);
    expect(target.connections()).toBe(0);
  });

  it('fail a download with the 3xx status', async () => {
    const result = await http().download({ url: `${redirector.origin}/found`, maxBytes: 1024 });
    expect(result).toMatchObject({ kind: 'http_status', status: 302 });
    expect(target.connections()).toBe(0);
  });
});
