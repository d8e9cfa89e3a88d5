import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { defineRoute } from '../src/index.js';
import { buildTestApp } from './support/build-test-app.js';

describe('closing', () => {
  it('finishes the request already running and answers the next one on that connection 503 in the envelope', async () => {
    let release!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = defineRoute({
      method: 'GET',
      url: '/slow',
      operationId: 'slow',
      summary: 'Slow',
      tags: ['Test'],
      public: true,
      response: { status: 200, description: 'Done.', schema: v.object({ done: v.boolean() }) },
      handler: async () => {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return { done: true };
      },
    });
    const subject = await buildTestApp({ routes: [slow] });
    // Registered last, so it runs once the app's own preClose hooks have: the server is closing from then on.
    const closing = new Promise<void>((resolve) => subject.app.addHook('preClose', (done) => (resolve(), done())));
    await subject.app.listen({ host: '127.0.0.1', port: 0 });
    const secondArrived = new Promise<void>((resolve) =>
      subject.app.server.on('request', (request: { url?: string }) => request.url === '/healthz' && resolve()),
    );
    const { port } = subject.app.server.address() as AddressInfo;

    // One kept-alive connection: a request runs on it, the server starts closing, then a second arrives on it.
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await running;

    const closed = subject.app.close();
    await closing;
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await secondArrived;
    release();
    await Promise.all([closed, ended]);

    const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(first).toContain('{"done":true}');
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toMatch(/"code":"unavailable"/);
    expect(second).toMatch(/"request_id":"req_/);
  });

  it('ends a kept-alive connection after answering the request that was running when closing began', async () => {
    let release!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = defineRoute({
      method: 'GET',
      url: '/slow',
      operationId: 'slow',
      summary: 'Slow',
      tags: ['Test'],
      public: true,
      response: { status: 200, description: 'Done.', schema: v.object({ done: v.boolean() }) },
      handler: async () => {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return { done: true };
      },
    });
    const subject = await buildTestApp({ routes: [slow] });
    const closing = new Promise<void>((resolve) => subject.app.addHook('preClose', (done) => (resolve(), done())));
    await subject.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = subject.app.server.address() as AddressInfo;

    // The client keeps the connection (as one honouring the keep-alive hint would): only the server can end it.
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await running;
    const closed = subject.app.close();
    await closing;
    release();
    await Promise.all([closed, ended]);
    expect(received).toMatch(/^HTTP\/1\.1 200/);
  });
});
