/*
 * Outbound HTTP to URLs that customers chose (webhook endpoints, media to fetch). Every such URL is
 * hostile until proven otherwise: the adapter refuses any URL whose name resolves to a non-public address
 * (loopback, private, link-local, cloud metadata, ...), checks again at every request and connects to the
 * very address it checked, so a name that rebinds between the check and the request cannot reach our
 * network. Redirects are never followed. Failures of the network are returned, not thrown, so callers
 * (the webhook worker) can classify them without parsing error messages.
 */

/** Why a URL was refused. */
export type UnsafeUrlReason =
  /** Not an absolute URL the WHATWG parser accepts. */
  | 'invalid_url'
  /** A scheme other than http or https. */
  | 'unsupported_scheme'
  /** http while the policy requires https (production). */
  | 'https_required'
  /** `user:password@` in the URL. */
  | 'userinfo_present'
  /**
   * A host name that does not resolve, or resolves to at least one address that is not public unicast.
   * The two are deliberately one answer, without the address or its range, so the API is no oracle for
   * internal DNS; the server log says which.
   */
  | 'host_not_public'
  /** An IP literal that is not public unicast; `range` names the rule. */
  | 'forbidden_address';

/** The special-purpose range a forbidden address fell in (detail of `forbidden_address`). */
export type ForbiddenAddressRange =
  | 'cloud_metadata'
  | 'unspecified'
  | 'this_network'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link_local'
  | 'ietf_protocol'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'broadcast'
  | 'multicast'
  | 'unique_local'
  | 'site_local'
  | 'discard_only'
  | 'orchid'
  | 'nat64'
  | '6to4'
  | 'teredo'
  | 'ipv4_compatible'
  | 'not_global_unicast';

/** A URL that passed the policy, with the addresses its name resolved to when it was checked. */
export interface CheckedUrl {
  /** The normalised URL (WHATWG serialisation, hostname lower-cased, trailing dot removed). */
  readonly url: string;
  /** The hostname without brackets (an IPv6 literal is bare). */
  readonly hostname: string;
  /** Every address the name resolved to; all of them passed the policy. */
  readonly addresses: readonly string[];
}

export type OutboundMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface OutboundRequest {
  readonly method: OutboundMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Deadline for the whole exchange: resolution, connect, response and reading the body. */
  readonly timeoutMs?: number;
  /** At most this many bytes of the response body are read; then the connection is destroyed. */
  readonly maxResponseBytes?: number;
}

/** Any response, whatever its status (a 3xx is returned as is: redirects are never followed). */
export interface OutboundResponse {
  readonly kind: 'response';
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The first `maxResponseBytes` bytes of the body. */
  readonly body: Uint8Array;
  readonly bodyTruncated: boolean;
  /** The address that was connected to. */
  readonly address: string;
  readonly durationMs: number;
}

/** The request did not produce a response. `message` is safe to store and show (no URL, no secret). */
export type OutboundFailure =
  | {
      readonly kind: 'unsafe_url';
      readonly reason: UnsafeUrlReason;
      readonly range?: ForbiddenAddressRange;
      readonly message: string;
      readonly durationMs: number;
    }
  | {
      /**
       * timeout: the deadline passed (any phase). dns_error is kept for other adapters: the undici one answers
       * a name that no longer resolves as `unsafe_url` `host_not_public`, like a private one.
       */
      readonly kind: 'dns_error' | 'timeout' | 'connect_error' | 'tls_error' | 'network_error';
      readonly message: string;
      readonly durationMs: number;
    };

export type OutboundResult = OutboundResponse | OutboundFailure;

export interface OutboundDownloadRequest {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** The download is aborted (and `too_large` returned) as soon as the body would exceed this. */
  readonly maxBytes: number;
}

export interface OutboundDownload {
  readonly kind: 'downloaded';
  readonly status: number;
  /** The Content-Type header as sent, or null when absent. */
  readonly contentType: string | null;
  readonly body: Uint8Array;
  readonly durationMs: number;
}

export type OutboundDownloadFailure =
  | OutboundFailure
  | { readonly kind: 'too_large'; readonly maxBytes: number; readonly message: string; readonly durationMs: number }
  /** Any status other than 2xx, including 3xx (not followed). */
  | { readonly kind: 'http_status'; readonly status: number; readonly message: string; readonly durationMs: number };

export type OutboundDownloadResult = OutboundDownload | OutboundDownloadFailure;

export interface OutboundHttp {
  /**
   * Validates a URL against the policy, resolving its name. Used when a URL is stored (webhook create or
   * update) or accepted (media_url). Returns the normalised URL. Throws
   * `DomainError('unsafe_url', <reason in words>, { reason, range? })` when refused; `range` only for an
   * IP literal, never the resolved address.
   */
  checkUrl(url: string): Promise<CheckedUrl>;
  /**
   * Checks the URL again (fresh resolution), then sends the request to an address that passed the check.
   * Never throws for network reasons and never follows redirects: every outcome is an `OutboundResult`.
   */
  send(request: OutboundRequest): Promise<OutboundResult>;
  /**
   * A GET under the same policy whose body is read in full but never past `maxBytes`. A non-2xx status is
   * the `http_status` failure. Never throws for network reasons.
   */
  download(request: OutboundDownloadRequest): Promise<OutboundDownloadResult>;
}
