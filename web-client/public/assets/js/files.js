// Files that only staff may fetch (exports, invitations) need the key in an Authorization header,
// which a plain link cannot send: the page fetches them and hands them to the browser itself.

// Long enough for the browser to have read the blob; a Blob URL kept forever would leak its memory.
const REVOKE_AFTER_MS = 60_000;

/** Saves a blob as a download named `filename`. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/**
 * Opens a new tab now, while the click still counts as the person's own (a tab opened after a slow
 * fetch would be blocked as a pop-up), saying `waiting` until `show(html, drop)` puts an HTML page
 * in it, less the elements matching the selector `drop` (links that only work at the page's own
 * address, say). `show` returns false when the browser blocked the tab; `abandon` closes it.
 */
export function tabForPage(waiting) {
  const tab = window.open('', '_blank');
  if (tab) tab.document.body.textContent = waiting;
  return {
    show(html, drop) {
      if (!tab || tab.closed) return false;
      const page = new DOMParser().parseFromString(html, 'text/html');
      if (drop) page.querySelectorAll(drop).forEach((element) => element.remove());
      tab.document.replaceChild(tab.document.importNode(page.documentElement, true), tab.document.documentElement);
      // A document this page makes (about:blank here, a Blob URL alike) inherits this page's
      // Content-Security-Policy, which allows no inline <style>: the page's own styles would be
      // dropped. Style sheets built through the CSSOM are not subject to it, so they go that way.
      const styles = new tab.CSSStyleSheet();
      styles.replaceSync([...page.querySelectorAll('style')].map((style) => style.textContent).join('\n'));
      tab.document.adoptedStyleSheets = [styles];
      return true;
    },
    abandon() {
      if (tab) tab.close();
    },
  };
}
