/**
 * The pages' one stylesheet. Kept as a module so the build needs no asset-copy step. The colours live in two
 * palettes (light, and dark for `prefers-color-scheme: dark`) so a unit test can check every text/background
 * pair the rules use against WCAG 2.x AA (4.5:1).
 */
export interface Palette {
  fg: string;
  bg: string;
  card: string;
  muted: string;
  accent: string;
  /** Text on an accent-filled button or badge. */
  onAccent: string;
  error: string;
  errorBg: string;
  noticeBg: string;
  border: string;
}

export const PALETTES: Record<'light' | 'dark', Palette> = {
  light: {
    fg: '#1b1f24', bg: '#f4f5f7', card: '#ffffff', muted: '#545b65', accent: '#1f5fbf', onAccent: '#ffffff',
    error: '#a4161a', errorBg: '#fbeaea', noticeBg: '#e9f0fa', border: '#6b7280',
  },
  dark: {
    fg: '#e8eaed', bg: '#14161a', card: '#1f2228', muted: '#a9b0ba', accent: '#8ab4ff', onAccent: '#0b1730',
    error: '#ff9a9e', errorBg: '#3a2024', noticeBg: '#1d2a40', border: '#8b939e',
  },
};

/** Each foreground the rules put on each background (text, and the 3:1 non-text contrast is covered by border). */
export const TEXT_ON_BACKGROUND: Array<[keyof Palette, keyof Palette]> = [
  ['fg', 'bg'], ['fg', 'card'], ['muted', 'card'], ['accent', 'card'], ['onAccent', 'accent'],
  ['error', 'errorBg'], ['fg', 'noticeBg'], ['accent', 'noticeBg'],
];

function variables(palette: Palette): string {
  return Object.entries(palette)
    .map(([name, value]) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${value};`)
    .join(' ');
}

export const STYLESHEET = `
:root { color-scheme: light dark; ${variables(PALETTES.light)} }
@media (prefers-color-scheme: dark) { :root { ${variables(PALETTES.dark)} } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.card { width: min(100% - 2rem, 28rem); margin: 1rem; padding: 2rem; background: var(--card); border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,.12); }
.card.wide { width: min(100% - 2rem, 52rem); }
.card > :last-child { margin-bottom: 0; }
@media (max-width: 30rem) { body { align-items: stretch; } .card, .card.wide { width: 100%; margin: 0; padding: 1.25rem; border-radius: 0; box-shadow: none; } }
.brand { margin: 0 0 1rem; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; color: var(--accent); font-size: .85rem; }
h1 { margin: 0 0 .5rem; font-size: 1.5rem; line-height: 1.25; }
h2 { margin: 1.5rem 0 .5rem; font-size: 1.1rem; }
.lead { margin: 0 0 1.25rem; color: var(--muted); }
label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
input[type=email], input[type=password], input[type=text] { width: 100%; padding: .6rem .7rem; border: 1px solid var(--border); border-radius: 8px; font: inherit; background: var(--card); color: var(--fg); }
input[aria-invalid=true] { border: 2px solid var(--error); }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button { width: 100%; margin-top: 1rem; padding: .7rem; border: 1px solid var(--accent); border-radius: 8px; background: var(--accent); color: var(--on-accent); font: inherit; font-weight: 600; cursor: pointer; }
button.secondary { margin-top: .5rem; background: transparent; color: var(--accent); }
a.button-link { display: block; margin-top: 1rem; padding: .7rem; border-radius: 8px; background: var(--accent); color: var(--on-accent); font-weight: 600; text-align: center; text-decoration: none; }
.error { margin: 0 0 1rem; padding: .6rem .8rem; border-left: 4px solid var(--error); color: var(--error); background: var(--error-bg); border-radius: 4px; }
.notice { padding: .6rem .8rem; border-left: 4px solid var(--accent); background: var(--notice-bg); border-radius: 4px; }
.feedback { margin: 0 0 1rem; padding-left: 1.2rem; }
.scopes { padding-left: 1.1rem; } .scopes li { margin-bottom: .25rem; }
.scope-name { font-family: ui-monospace, monospace; font-size: .9em; }
.steps { padding-left: 1.2rem; } .steps li { margin-bottom: .5rem; }
.qr { display: block; max-width: 100%; height: auto; margin: .5rem 0; image-rendering: pixelated; background: #fff; padding: 8px; border-radius: 8px; }
.secret, .codes code { font-family: ui-monospace, monospace; font-size: 1rem; letter-spacing: .05em; word-break: break-all; }
.codes { columns: 2; padding-left: 1.2rem; }
.aside { margin: .75rem 0 0; font-size: .9rem; }
a { color: var(--accent); }
.table-scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: .9rem; } th, td { text-align: left; padding: .5rem .4rem; border-bottom: 1px solid var(--border); vertical-align: top; }
td small { color: var(--muted); } td time { white-space: nowrap; }
.inline { display: inline; } .inline button { width: auto; margin: 0; padding: .3rem .6rem; white-space: nowrap; }
@media (max-width: 40rem) {
  table.sessions thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.sessions tr { display: block; padding: .5rem 0; border-bottom: 1px solid var(--border); }
  table.sessions td { display: block; border: 0; padding: .15rem 0; }
  table.sessions td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
.badge { font-size: .75rem; padding: .1rem .4rem; border-radius: 4px; background: var(--accent); color: var(--on-accent); white-space: nowrap; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
dt { font-weight: 600; } dd { margin: 0 0 .5rem; font-family: ui-monospace, monospace; word-break: break-word; }
`;
