import type { Page } from 'playwright-core';

// auditPage's callback runs inside the page (Playwright serialises it). The project compiles without the DOM
// library, so the little of the DOM it uses is declared here, for this file only.
interface DomElement {
  id: string;
  tagName: string;
  textContent: string | null;
  offsetParent: unknown;
  type?: string;
  labels?: ArrayLike<unknown> | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  documentElement: DomElement & { lang: string; scrollWidth: number };
  title: string;
  activeElement: DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & ArrayLike<DomElement>;
  getElementById(id: string): DomElement | null;
};
declare const window: { innerWidth: number };

export interface PageAudit {
  lang: string;
  title: string;
  /** Visible form fields without a <label> (or aria-label). */
  unlabelled: string[];
  /** aria-describedby ids that name no element. */
  danglingDescriptions: string[];
  /** Errors on the page that are not announced (role=alert). */
  silentErrors: number;
  /** The element that has focus after load, as tag#id or tag:text. */
  focused: string;
  /** The first field or button of the main form, which should be the focused one. */
  firstField: string;
  autofocusCount: number;
  /** Page wider than the viewport: a horizontal scrollbar on a phone. */
  overflowsHorizontally: boolean;
}

/** The checks a screen-reader or keyboard user would notice first, read from the live DOM. */
export function auditPage(page: Page): Promise<PageAudit> {
  return page.evaluate(() => {
    const describe = (element: DomElement | null): string => {
      if (!element) return 'none';
      if (element.id) return `${element.tagName.toLowerCase()}#${element.id}`;
      return `${element.tagName.toLowerCase()}:${(element.textContent ?? '').trim()}`;
    };
    const visible = (element: DomElement) => element.offsetParent !== null;
    const fields = [...document.querySelectorAll('input, select, textarea')].filter(
      (element) => element.type !== 'hidden' && visible(element),
    );
    const controls = [...document.querySelectorAll('main input:not([type=hidden]), main button, main select, main textarea')].filter(visible);
    return {
      lang: document.documentElement.lang,
      title: document.title,
      unlabelled: fields.filter((field) => !field.labels?.length && !field.getAttribute('aria-label')).map(describe),
      danglingDescriptions: [...document.querySelectorAll('[aria-describedby]')].flatMap((element) =>
        element.getAttribute('aria-describedby')!.split(/\s+/).filter((id) => !document.getElementById(id)),
      ),
      silentErrors: [...document.querySelectorAll('.error')].filter((element) => element.getAttribute('role') !== 'alert').length,
      focused: describe(document.activeElement),
      firstField: describe(controls[0] ?? null),
      autofocusCount: document.querySelectorAll('[autofocus]').length,
      overflowsHorizontally: document.documentElement.scrollWidth > window.innerWidth,
    };
  });
}
