/** What a BullMQ job of ours carries: the domain id (also the deduplication id) and the caller's hints. */
export interface WakeJobData {
  readonly id: string;
  readonly data: Readonly<Record<string, string>>;
}
