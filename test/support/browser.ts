/**
 * A minimal browser for driving the server-rendered pages over real HTTP: a cookie jar that honours Path and
 * Max-Age, manual redirects (so each hop can be inspected), and form submission.
 */
interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expires: number | null;
}

export interface BrowserResponse {
  status: number;
  url: string;
  location: string | null;
  headers: Headers;
  body: string;
}

export class Browser {
  private cookies: StoredCookie[] = [];
  private readonly received = new Set<string>();

  /**
   * @param extraHeaders sent with every request (e.g. X-Forwarded-Proto, as a TLS-terminating proxy would add)
   * @param transport maps the URL a page names to the URL actually fetched (e.g. https issuer → local http port)
   */
  constructor(
    private readonly extraHeaders: Record<string, string> = {},
    private readonly transport: (url: string) => string = (url) => url,
  ) {}

  async get(url: string): Promise<BrowserResponse> {
    return this.request(url, { method: 'GET' });
  }

  async post(url: string, fields: Record<string, string>): Promise<BrowserResponse> {
    return this.request(url, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Follows redirects until one leaves `origin` (e.g. to the client's redirect_uri) or a page is served. */
  async follow(response: BrowserResponse, origin: string): Promise<BrowserResponse> {
    let current = response;
    while (current.location && new URL(current.location, current.url).origin === origin) {
      current = await this.get(new URL(current.location, current.url).toString());
    }
    return current;
  }

  async request(url: string, init: RequestInit): Promise<BrowserResponse> {
    const target = new URL(url);
    const cookieHeader = this.cookiesFor(target.pathname);
    const response = await fetch(this.transport(url), {
      ...init,
      redirect: 'manual',
      headers: { ...this.extraHeaders, ...(init.headers as Record<string, string>), ...(cookieHeader ? { cookie: cookieHeader } : {}) },
    });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return {
      status: response.status,
      url,
      location: response.headers.get('location'),
      headers: response.headers,
      body: await response.text(),
    };
  }

  /** The Cookie header this browser would send to `url` (for raw requests that carry its session). */
  cookieHeader(url: string): string {
    return this.cookiesFor(new URL(url).pathname);
  }

  cookieNames(): string[] {
    return this.cookies.map((cookie) => cookie.name);
  }

  /** Every non-empty cookie value this browser was ever sent, including those since replaced or expired. */
  cookieValuesReceived(): string[] {
    return [...this.received];
  }

  clearCookies(): void {
    this.cookies = [];
  }

  private cookiesFor(pathname: string): string {
    const now = Date.now();
    this.cookies = this.cookies.filter((cookie) => cookie.expires === null || cookie.expires > now);
    return this.cookies
      .filter((cookie) => pathname === cookie.path || pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  private store(line: string): void {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const separator = pair!.indexOf('=');
    const name = pair!.slice(0, separator);
    const value = pair!.slice(separator + 1);
    if (value) this.received.add(value);
    let cookiePath = '/';
    let expires: number | null = null;
    for (const attribute of attributes) {
      const [key, val = ''] = attribute.split('=');
      if (key!.toLowerCase() === 'path') cookiePath = val;
      if (key!.toLowerCase() === 'max-age') expires = Date.now() + Number(val) * 1000;
      if (key!.toLowerCase() === 'expires' && expires === null) expires = Date.parse(val);
    }
    this.cookies = this.cookies.filter((cookie) => !(cookie.name === name && cookie.path === cookiePath));
    if (expires === null || expires > Date.now()) this.cookies.push({ name, value, path: cookiePath, expires });
  }
}

/** The fields and action of the first form on a page whose action matches. */
export function readForm(html: string, actionPattern: RegExp): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((match) => actionPattern.test(match[1]!));
  if (!form) throw new Error(`no form with action ${actionPattern} in page:\n${html}`);
  const fields: Record<string, string> = {};
  for (const [input] of form[2]!.matchAll(/<input[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    if (name) fields[name] = decodeEntities(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? '');
  }
  return { action: decodeEntities(form[1]!), fields };
}

function decodeEntities(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
