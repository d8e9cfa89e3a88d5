export interface ApiKey {
  readonly id: string;
  readonly customerId: string;
  /** Set when the key is bound to one instance (least privilege). */
  readonly instanceId: string | null;
  readonly name: string | null;
  /** The key that created this one (null when the operator did): revoking it revokes this one too. */
  readonly parentKeyId: string | null;
  /** The public, recognisable part of the key (`wiu_<lookup>`); safe to show and log. */
  readonly prefix: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

/** An API key as stored: the record plus HMAC-SHA256(pepper, prefix|secret). */
export interface StoredApiKey extends ApiKey {
  readonly secretHash: Buffer;
}
