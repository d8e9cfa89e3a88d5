export interface BoundedBody {
  readonly bytes: Uint8Array;
  /** More bytes were on offer than the limit; the stream was abandoned there. */
  readonly truncated: boolean;
}

/**
 * Reads a body stream up to `maxBytes`. Past the limit the loop breaks, which destroys the stream; the
 * caller destroys the connection too, so a peer sending gigabytes costs us at most one chunk beyond.
 */
export async function readBounded(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<BoundedBody> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = maxBytes - size;
    if (chunk.byteLength > room) {
      chunks.push(chunk.subarray(0, room));
      return { bytes: Buffer.concat(chunks, maxBytes), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  return { bytes: Buffer.concat(chunks, size), truncated: false };
}
