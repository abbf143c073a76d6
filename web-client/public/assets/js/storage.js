// Browser storage can throw (private mode, full quota, storage disabled by policy): a failed read
// gives the fallback and a failed write is dropped, so the page keeps working from memory.

/** Reads a JSON value, or `fallback` when it is absent or unreadable. */
export function load(storage, key, fallback) {
  try {
    const text = storage.getItem(key);
    return text == null ? fallback : JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** Writes a JSON value; `undefined` or `null` removes the key. */
export function save(storage, key, value) {
  try {
    if (value === undefined || value === null) {
      storage.removeItem(key);
    } else {
      storage.setItem(key, JSON.stringify(value));
    }
  } catch {
    // Nothing to do: the value still lives in memory for this page.
  }
}

/** The room slug of a page under /r/{slug}/..., lower-cased as the server stores it. */
export function slugFromPath() {
  const match = location.pathname.match(/^\/r\/([^/]+)/);
  return match ? decodeURIComponent(match[1]).toLowerCase() : null;
}

/**
 * Takes the named parameters out of the URL fragment (#name=...&...) and returns them (absent ones
 * are missing from the result). They leave the address bar at once, with history.replaceState, so a
 * secret never stays on screen, in a bookmark or in a shared screenshot; other parameters stay.
 */
export function takeFromFragment(...names) {
  const params = new URLSearchParams(location.hash.slice(1));
  const taken = {};
  for (const name of names) {
    const value = params.get(name);
    if (value) taken[name] = value;
    params.delete(name);
  }
  if (Object.keys(taken).length) {
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  }
  return taken;
}

/**
 * A staff key from the URL fragment (#key=...). It is then kept in sessionStorage, so a projected
 * browser never shows it while a reload of the tab still works.
 */
export function keyFromFragment(slug, page) {
  const storageKey = `bc:key:${page}:${slug}`;
  const { key } = takeFromFragment('key');
  if (key) {
    save(sessionStorage, storageKey, key);
    return key;
  }
  return load(sessionStorage, storageKey, null);
}
