// DOM building blocks shared by the pages. User text only ever reaches the page through
// textContent or Text nodes (`h(..., 'text')`, `setText`), never through innerHTML.

/**
 * Creates an element. `props`: `text` sets textContent, `class` the class name, `on<event>` a
 * listener, anything else an attribute (true = present, false/null = absent). Children may be
 * nodes or strings (strings become Text nodes).
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child != null && child !== false) node.append(child);
  }
  return node;
}

/** Sets text only when it changed, so updates in place do not touch the DOM for nothing. */
export function setText(node, text) {
  const value = text == null ? '' : String(text);
  if (node.textContent !== value) node.textContent = value;
}

/** Sets or removes an attribute only when it changed. */
export function setAttr(node, name, value) {
  if (value == null || value === false) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else {
    const text = value === true ? '' : String(value);
    if (node.getAttribute(name) !== text) node.setAttribute(name, text);
  }
}

/**
 * Makes `list`'s children show `items` in order, keyed by `item.id`: existing elements are updated
 * and moved, new ones created, missing ones removed. Nothing is rebuilt, so there is no flicker, and
 * (with Element.moveBefore where the browser has it) focus and open states survive a reorder.
 */
export function syncList(list, items, create, update) {
  const existing = new Map();
  for (const child of list.children) existing.set(child.dataset.key, child);
  const focused = document.activeElement;
  let previous = null;
  for (const item of items) {
    let node = existing.get(item.id);
    if (node) {
      existing.delete(item.id);
    } else {
      node = create(item);
      node.dataset.key = item.id;
    }
    update(node, item);
    const expected = previous ? previous.nextElementSibling : list.firstElementChild;
    if (node !== expected) {
      if (node.isConnected && typeof list.moveBefore === 'function') list.moveBefore(node, expected);
      else list.insertBefore(node, expected);
    }
    previous = node;
  }
  existing.forEach((node) => node.remove());
  if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
}

/** The author's nickname, or "Anonymous". */
export function authorName(post) {
  return post.author && post.author.nick ? post.author.nick : 'Anonymous';
}

/** A number with its sign and two decimals, with a true minus sign: "+1.67", "−0.50", "0.00". */
export function signed(value, digits = 2) {
  const n = Number(value) || 0;
  const text = Math.abs(n).toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return (n > 0 ? '+' : '\u2212') + text;
}

/** A rating value as a button label: "−5" … "0" … "+5". */
export function ratingLabel(value) {
  return value > 0 ? `+${value}` : value < 0 ? `\u2212${-value}` : '0';
}

/** "12 ratings", "1 rating". */
export function ratingsText(count) {
  return `${count} rating${count === 1 ? '' : 's'}`;
}

/** The local clock time of an ISO timestamp. */
export function clockTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// Defaults of DESIGN.md "Scoring" that the split below undoes; a server with other constants only
// makes the bar a little less exact.
const PRIOR_WEIGHT = 2;
const DIVERGENCE_DAMPING = 3;

/**
 * How a post's ratings split into negative, neutral and positive, derived from what the Post
 * object offers (the wire has no histogram). With newcomer weights (w = 1, so n_eff = n):
 * - the mean rating is the score without the prior: mean ≈ score · (W0 + n) / n (prior taken as 0);
 * - the spread undoes the damping: sd ≈ divergence · 5 · (n + 3) / n;
 * - the split is the three-point distribution on {−5, 0, +5} with that mean and spread:
 *   up + down = (sd² + mean²) / 25 and up − down = mean / 5.
 * Ten +5 and ten −5 give 50/0/50; twenty +4 give 80 % up, 20 % neutral; one +5 gives 100 % up.
 * Returns null for a post without ratings.
 */
export function ratingSplit(post) {
  const n = post.ratings;
  if (!n) return null;
  const mean = Math.max(-5, Math.min(5, (post.score * (PRIOR_WEIGHT + n)) / n));
  const sd = Math.min(5, (post.divergence * 5 * (n + DIVERGENCE_DAMPING)) / n);
  const extreme = (sd * sd + mean * mean) / 25;
  let up = (extreme + mean / 5) / 2;
  let down = (extreme - mean / 5) / 2;
  if (down < 0) {
    down = 0;
    up = Math.max(0, mean / 5);
  } else if (up < 0) {
    up = 0;
    down = Math.max(0, -mean / 5);
  }
  const total = up + down;
  if (total > 1) {
    up /= total;
    down /= total;
  }
  return { down, neutral: Math.max(0, 1 - up - down), up };
}

/** A bar of three segments (negative, neutral, positive) for ratingSplit; update with updateSplitBar. */
export function splitBar() {
  return h('div', { class: 'split', role: 'img' },
    h('span', { class: 'split-down' }), h('span', { class: 'split-neutral' }), h('span', { class: 'split-up' }));
}

/** Sizes a split bar for a post, with a text equivalent for screen readers. */
export function updateSplitBar(bar, post) {
  const split = ratingSplit(post);
  const [down, neutral, up] = bar.children;
  bar.classList.toggle('empty', !split);
  const pct = (x) => `${Math.round(x * 100)}%`;
  // Shares as flex-grow: the three always fill the bar exactly, whatever the rounding.
  down.style.flexGrow = split ? split.down : 0;
  neutral.style.flexGrow = split ? split.neutral : 1;
  up.style.flexGrow = split ? split.up : 0;
  setAttr(bar, 'aria-label', split
    ? `Ratings split: about ${pct(split.up)} positive, ${pct(split.neutral)} neutral, ${pct(split.down)} negative`
    : 'No ratings yet');
}

const STATE_LABELS = {
  idle: 'Starting…',
  connecting: 'Connecting…',
  online: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  stopped: 'Disconnected',
};

/**
 * Keeps a connection indicator current: `el` holds `.conn-text` (announced politely) and
 * `.conn-detail` (a countdown, not announced). `data-state` drives its colour and icon.
 */
export function connectionIndicator(el, connection) {
  const label = el.querySelector('.conn-text');
  el.hidden = true; // until there is a connection to speak of (e.g. not before joining)
  const detail = el.querySelector('.conn-detail');
  let last = null;
  const paint = () => {
    if (!last) return;
    el.hidden = last.state === 'idle';
    const state = !last.network && last.state !== 'online' && last.state !== 'stopped' ? 'offline' : last.state;
    setAttr(el, 'data-state', state);
    const waiting = last.queued ? ` · ${last.queued} waiting to send` : '';
    setText(label, STATE_LABELS[state] + waiting);
    const seconds = last.retryAt ? Math.ceil((last.retryAt - Date.now()) / 1000) : 0;
    setText(detail, state === 'reconnecting' && seconds > 0 ? `next try in ${seconds} s` : '');
  };
  connection.addEventListener('status', (event) => {
    last = event.detail;
    paint();
  });
  setInterval(paint, 1000);
}
