/// <reference path="./s3rver.d.ts" />
/*
 * An S3-compatible server for tests: s3rver (Node, files in a temporary directory) on a free loopback
 * port, with one bucket. It checks request signatures like S3 does, with its fixed credentials
 * S3RVER / S3RVER. `close` stops it and removes its files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface LocalS3Server {
  /** `http://127.0.0.1:<port>`: use path-style addressing. */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  close(): Promise<void>;
}

export async function startLocalS3Server(bucket = 'whatisup-media-test'): Promise<LocalS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'whatisup-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
