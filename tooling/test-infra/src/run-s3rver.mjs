// Runs s3rver in its own process (started by local-s3-server.ts): argv port, directory, bucket. It needs
// Node's legacy OpenSSL provider, which only a process can be given: s3rver makes its list continuation
// tokens with DES, and without the provider every truncated listing answers 500.
import S3rver from 's3rver';

const [port, directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: Number(port), silent: true, directory, vhostBuckets: false, configureBuckets: [{ name: bucket }] });
await server.run();
process.stdout.write('s3rver ready\n');
process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0), () => process.exit(1));
});
