/*
 * A few lines over fetch for calling a real server with one API key. The base URL may be a function, so a
 * test can follow a server that was restarted on another address.
 */
export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

export interface ApiClient {
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>>;
  get<T = Record<string, unknown>>(path: string): Promise<ApiResponse<T>>;
  post<T = Record<string, unknown>>(path: string, body?: unknown): Promise<ApiResponse<T>>;
}

export function createApiClient(baseUrl: string | (() => string), key: string): ApiClient {
  const base = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
  async function request<T>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const response = await fetch(`${base()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text.length > 0 ? JSON.parse(text) : null) as T };
  }
  return {
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
  };
}
