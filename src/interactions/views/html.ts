/** Tiny HTML templating: every interpolated value goes through `escapeHtml`; `SafeHtml` marks what already did. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Tagged template: `html\`<p>${userInput}</p>\`` escapes userInput; nested html`` fragments and arrays pass. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!;
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}

/**
 * A catalogue template with `{name}` slots: the text is escaped, the values are rendered like html`` values
 * (so a value may be markup such as <strong>…</strong>). Unknown slots stay visible, so a typo shows in review.
 */
export function fill(template: string, values: Record<string, unknown>): SafeHtml {
  return new SafeHtml(
    template
      .split(/(\{\w+\})/)
      .map((part) => {
        const slot = /^\{(\w+)\}$/.exec(part)?.[1];
        return slot !== undefined && slot in values ? render(values[slot]) : escapeHtml(part);
      })
      .join(''),
  );
}

export interface PageOptions {
  /** The `<html lang>` of the page: screen readers pick their voice from it. */
  lang?: string;
  /** Tables (the account page) need more room than a form. */
  wide?: boolean;
}

/**
 * The page shell. No inline script or style and no third-party assets, so the CSP can stay `'self'` only;
 * everything works without JavaScript.
 */
export function page(title: string, body: SafeHtml, options: PageOptions = {}): string {
  return html`<!doctype html>
<html lang="${options.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Tessera</title>
<link rel="stylesheet" href="/static/tessera.css">
</head>
<body>
<main class="${options.wide ? 'card wide' : 'card'}">
<p class="brand">Tessera</p>
${body}
</main>
</body>
</html>`.value;
}
