import { enrolledTotp, nextTotpCode } from './totp-codes';

/**
 * A browser-like HTTP client for scenario tests: keeps cookies, sends the CSRF header the way
 * the web app does (copied from the cookie on every request, never cached), JSON in and out.
 */
export class ApiClient {
  readonly #base: string;
  readonly cookies = new Map<string, string>();
  /** Sent with every request (e.g. X-Forwarded-For behind a test proxy). */
  readonly headers: Record<string, string> = {};

  constructor(baseUrl: string) {
    this.#base = baseUrl;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    opts: { csrf?: boolean; rawBody?: string; contentType?: string } = {},
    // Tests read bodies loosely; the shapes are asserted by the expectations themselves.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { ...this.headers };
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) headers.cookie = cookie;
    const csrf = this.csrfFor(path);
    if ((opts.csrf ?? true) && csrf) headers['x-csrf-token'] = csrf;
    const payload = opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(`${this.#base}${path}`, { method, headers, body: payload });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (static files)
    }
    return { status: res.status, body: parsed };
  }

  /**
   * The token the web app sends to `path` (apps/web/src/app/api.ts): the requester portal's own
   * `conclave_legal_csrf` while a requester is signed in, else `conclave_csrf`.
   */
  csrfFor(path: string): string | undefined {
    const portal = path.startsWith('/api/legal/portal/')
      ? this.cookies.get('conclave_legal_csrf')
      : undefined;
    return portal ?? this.cookies.get('conclave_csrf');
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown = {}) => this.request('POST', path, body);
  put = (path: string, body: unknown = {}) => this.request('PUT', path, body);
  patch = (path: string, body: unknown = {}) => this.request('PATCH', path, body);

  /** Fetches a CSRF cookie (as the web app does on load), then signs in. */
  /** Signs in; users whose TOTP a test enrolled (totp-codes.ts) get a fresh code added. */
  async signIn(email: string, password: string, extra: Record<string, string> = {}) {
    await this.get('/api/auth/csrf');
    const secret = enrolledTotp.get(email.toLowerCase());
    const code = secret && !extra.totpCode ? { totpCode: await nextTotpCode(secret) } : {};
    return this.post('/api/auth/login', { email, password, ...code, ...extra });
  }
}
