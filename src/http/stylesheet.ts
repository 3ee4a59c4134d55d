/** The pages' one stylesheet. Kept as a module so the build needs no asset-copy step. */
export const STYLESHEET = `
:root { color-scheme: light dark; --accent: #1f5fbf; --fg: #1b1f24; --bg: #f4f5f7; --card: #fff; --muted: #59606a; --error: #a4161a; }
@media (prefers-color-scheme: dark) { :root { --accent: #7aa7ff; --fg: #e8eaed; --bg: #14161a; --card: #1f2228; --muted: #a9b0ba; --error: #ff8a8f; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.card { width: min(100%, 26rem); margin: 1rem; padding: 2rem; background: var(--card); border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,.12); }
.brand { margin: 0 0 1rem; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; color: var(--accent); font-size: .85rem; }
h1 { margin: 0 0 .5rem; font-size: 1.5rem; }
h2 { margin: 1rem 0 .25rem; font-size: 1rem; }
.lead { margin: 0 0 1.25rem; color: var(--muted); }
label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
input[type=email], input[type=password], input[type=text] { width: 100%; padding: .6rem .7rem; border: 1px solid var(--muted); border-radius: 8px; font: inherit; background: transparent; color: inherit; }
input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button { width: 100%; margin-top: 1rem; padding: .7rem; border: 0; border-radius: 8px; background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
button.secondary { margin-top: .5rem; background: transparent; color: var(--accent); border: 1px solid var(--accent); }
.error { padding: .6rem .8rem; border-left: 4px solid var(--error); color: var(--error); background: rgba(164,22,26,.08); }
.scopes { padding-left: 1.1rem; }
.scope-name { font-family: ui-monospace, monospace; font-size: .9em; }
.steps { padding-left: 1.2rem; } .steps li { margin-bottom: .5rem; }
.qr { display: block; margin: .5rem 0; image-rendering: pixelated; background: #fff; padding: 8px; border-radius: 8px; }
.secret, .codes code { font-family: ui-monospace, monospace; font-size: 1rem; letter-spacing: .05em; }
.codes { columns: 2; padding-left: 1.2rem; }
.aside { margin: .75rem 0 0; font-size: .9rem; }
a { color: var(--accent); }
table { width: 100%; border-collapse: collapse; font-size: .9rem; } th, td { text-align: left; padding: .35rem .25rem; border-bottom: 1px solid rgba(127,127,127,.3); vertical-align: top; }
.wide { width: min(100%, 48rem); }
.inline { display: inline; } .inline button { width: auto; margin: 0; padding: .3rem .6rem; }
.badge { font-size: .75rem; padding: .1rem .4rem; border-radius: 4px; background: var(--accent); color: #fff; }
.notice { padding: .6rem .8rem; border-left: 4px solid var(--accent); background: rgba(31,95,191,.08); }
dt { font-weight: 600; } dd { margin: 0 0 .5rem; font-family: ui-monospace, monospace; word-break: break-word; }
`;
