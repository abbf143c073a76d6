// The organizer's console /organize: with the organizer key (kept in sessionStorage only, sent only
// in the Authorization header) it lists every room of the event with live figures (GET /api/rooms,
// paged with "More rooms", refreshed every 10 s in place), creates rooms, and for each room shows
// its links again at any time (GET …/links: audience, speaker, moderator, stage screen, QR code),
// makes new staff keys (confirmed), closes (with the room's moderator key, fetched from …/links) and
// reopens it, deletes it (confirmed by typing its hashtag), and manages who may join.

import { accessPanel } from './access-panel.js';
import { ApiError, request, requestJson } from './api.js';
import { clockTime, h, setAttr, setText } from './render.js';
import { load, save } from './storage.js';

// Page text, kept together for the translations to come.
const TEXT = Object.freeze({
  accessRefused: (message) => `This way of joining is not available: ${message}`,
  keyShort: 'Enter the organizer key (at least 16 characters).',
  keyUnknown: 'The server does not know this organizer key.',
  loading: 'Loading the rooms…',
  updated: (time) => `Figures as of ${time}.`,
  refreshFailed: (message) => `The figures could not be refreshed: ${message} They will be tried again.`,
  open: 'open',
  closed: 'closed',
  figures: { status: 'Status', online: 'Online', posts: 'Posts', ratings: 'Ratings', created: 'Created' },
  showLinks: 'Links',
  hideLinks: 'Hide links',
  linksLoading: 'Fetching the links…',
  noLinks: 'This room\'s staff links were not kept (it is older than the console). Press New keys to make links you can see here.',
  newKeys: 'New keys',
  newKeysTitle: (title) => `New staff links for ${title}?`,
  newKeysText: 'The speaker, moderator and stage screen links change now. The current ones stop working at once and '
    + 'everyone using them is disconnected: hand out the new links afterwards.',
  newKeysOk: 'Make new links',
  newKeysDone: 'New links made. The old speaker, moderator and screen links no longer work.',
  close: 'Close room',
  closeTitle: (title) => `Close ${title}?`,
  closeText: 'The audience can still read, but no longer post or rate. You can reopen the room.',
  closeOk: 'Close the room',
  closeDone: 'Closed: the audience can read but no longer post or rate.',
  reopen: 'Reopen room',
  reopenDone: 'Reopened: the audience can post and rate again.',
  remove: 'Delete',
  removeTitle: (title) => `Delete ${title} for good?`,
  removeText: 'Every post, rating and participant of this room is deleted from the server, and every page on it '
    + 'is disconnected. This cannot be undone; export what you need first (moderator link).',
  removeLabel: (hashtag) => `Type the hashtag ${hashtag} to confirm`,
  removeOk: 'Delete the room',
  removed: (hashtag) => `Deleted ${hashtag}.`,
  accessDetails: 'Who may join',
  failed: (message) => `Not done: ${message}`,
  links: {
    audience: ['Audience link', 'Share it, or show the QR code on a slide.'],
    dashboard: ['Speaker link', 'For the speaker\'s laptop (add &obs for a version without buttons).'],
    screen: ['Stage screen link', 'For the projector or an OBS browser source: QR code, top questions, highlighted post (add ?transparent=1 for a transparent background).'],
    moderate: ['Moderator link', 'Hide posts, ban, close the room, export.'],
  },
});
const PAGE = 20;
const MAX_LIMIT = 200; // the server's largest page
const REFRESH_MS = 10_000;

const $ = (id) => document.getElementById(id);
const KEY = 'bc:organizer-key';

$('organizer-key').value = load(sessionStorage, KEY, '') || '';
const organizerKey = () => load(sessionStorage, KEY, null);

let shown = []; // slugs in list order
let next = null; // the cursor of the next page, null at the end
let listed = false;
let refreshTimer = null;

// ---- the key --------------------------------------------------------------------------------

function fieldError(element, input, text) {
  setText(element, text);
  element.hidden = !text;
  setAttr(input, 'aria-invalid', text ? 'true' : null);
  if (text) input.focus();
}

$('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('organizer-key').value.trim();
  if (key.length < 16) return fieldError($('key-error'), $('organizer-key'), TEXT.keyShort);
  save(sessionStorage, KEY, key);
  fieldError($('key-error'), $('organizer-key'), '');
  await loadRooms(true);
});

// ---- creating a room ------------------------------------------------------------------------

function showError(text, field) {
  const error = $('create-error');
  setText(error, text);
  error.hidden = !text;
  for (const input of document.querySelectorAll('#create-form input, #organizer-key')) input.removeAttribute('aria-invalid');
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

$('create-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('organizer-key').value.trim();
  const hashtag = $('hashtag').value.trim();
  const title = $('title').value.trim();
  const access = $('create-form').elements.access.value;
  if (key.length < 16) return showError(TEXT.keyShort, $('organizer-key'));
  if (!$('hashtag').checkValidity()) {
    return showError('The hashtag needs 2–64 letters, digits, _ or - (a leading # is fine).', $('hashtag'));
  }
  save(sessionStorage, KEY, key);
  const button = event.submitter || $('create-form').querySelector('button');
  button.disabled = true;
  showError('');
  try {
    const room = await requestJson('POST', '/api/rooms', { key, body: title ? { hashtag, title, access } : { hashtag, access } });
    $('hashtag').value = '';
    $('title').value = '';
    $('access-open').checked = true;
    if (!listed) await loadRooms(false);
    const card = upsert({ ...room, online: 0, posts: 0, ratings: 0, createdAt: new Date().toISOString(), closedAt: null }, 'top');
    card.querySelector('details.access-details').open = true;
    showLinks(card, room);
    $('rooms-empty').hidden = true;
    card.querySelector('h3').focus();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'unauthorized') {
      save(sessionStorage, KEY, null);
      showError(TEXT.keyUnknown, $('organizer-key'));
    } else if (error instanceof ApiError && error.code === 'conflict') {
      showError('A room with this hashtag exists already. Choose another hashtag.', $('hashtag'));
    } else if (error instanceof ApiError && error.code === 'invalid' && access !== 'open') {
      // The one setting this form sends: the server refuses a mode it cannot offer (sign-in without a provider).
      showError(TEXT.accessRefused(error.message), $(`access-${access}`));
    } else {
      showError(error.message, null);
    }
  } finally {
    button.disabled = false;
  }
});

// ---- the list -------------------------------------------------------------------------------

function listError(text) {
  setText($('rooms-error'), text);
  $('rooms-error').hidden = !text;
}

/** Loads the first page (fresh) and starts the refresh; on a refused key says so at the key field. */
async function loadRooms(focusList) {
  const key = organizerKey();
  if (!key) return;
  $('rooms').hidden = false;
  setText($('rooms-status'), TEXT.loading);
  try {
    const page = await requestJson('GET', `/api/rooms?limit=${PAGE}`, { key });
    listed = true;
    for (const slug of shown) if (!page.rooms.some((r) => r.slug === slug)) cardOf(slug)?.remove();
    shown = [];
    for (const room of page.rooms) upsert(room, 'bottom');
    next = page.next;
    $('more-rooms').hidden = !next;
    $('rooms-empty').hidden = shown.length > 0;
    listError('');
    setText($('rooms-status'), TEXT.updated(clockTime(new Date().toISOString())));
    clearInterval(refreshTimer);
    refreshTimer = setInterval(refresh, REFRESH_MS);
    if (focusList) $('rooms-title').setAttribute('tabindex', '-1'), $('rooms-title').focus();
  } catch (error) {
    setText($('rooms-status'), '');
    if (error instanceof ApiError && error.code === 'unauthorized') {
      save(sessionStorage, KEY, null);
      $('rooms').hidden = !listed;
      fieldError($('key-error'), $('organizer-key'), TEXT.keyUnknown);
    } else {
      listError(error.message);
    }
  }
}

$('more-rooms').addEventListener('click', async () => {
  const key = organizerKey();
  if (!key || !next) return;
  $('more-rooms').disabled = true;
  try {
    const page = await requestJson('GET', `/api/rooms?limit=${PAGE}&cursor=${encodeURIComponent(next)}`, { key });
    const first = page.rooms.find((r) => !shown.includes(r.slug));
    for (const room of page.rooms) upsert(room, 'bottom');
    next = page.next;
    $('more-rooms').hidden = !next;
    listError('');
    if (first) cardOf(first.slug).querySelector('h3').focus();
  } catch (error) {
    listError(error.message);
  } finally {
    $('more-rooms').disabled = false;
  }
});

/** Asks again for the rooms shown (up to the server's largest page) and updates their figures in place. */
async function refresh() {
  const key = organizerKey();
  if (!key || document.hidden) return;
  try {
    const limit = Math.min(MAX_LIMIT, Math.max(PAGE, shown.length));
    const page = await requestJson('GET', `/api/rooms?limit=${limit}`, { key });
    const fresh = new Set(page.rooms.map((r) => r.slug));
    // Rooms created elsewhere appear on top; rooms deleted elsewhere leave (within what was asked).
    const last = page.rooms.length ? page.rooms[page.rooms.length - 1] : null;
    for (const slug of [...shown]) {
      if (!fresh.has(slug) && (page.next === null || (last && cardOf(slug)?.dataset.created > last.createdAt))) forget(slug);
    }
    for (const room of [...page.rooms].reverse()) if (!shown.includes(room.slug)) upsert(room, 'top');
    for (const room of page.rooms) upsert(room, null);
    if (!next && page.next && shown.length >= limit) next = page.next;
    listError('');
    setText($('rooms-status'), TEXT.updated(clockTime(new Date().toISOString())));
    $('rooms-empty').hidden = shown.length > 0;
  } catch (error) {
    setText($('rooms-status'), TEXT.refreshFailed(error.message));
  }
}

function cardOf(slug) {
  return document.querySelector(`#room-list > li[data-slug="${CSS.escape(slug)}"]`);
}

function forget(slug) {
  cardOf(slug)?.remove();
  shown = shown.filter((s) => s !== slug);
}

/** Adds a room's card (at the top or the bottom) or, with `where` null, only updates an existing one. */
function upsert(room, where) {
  let card = cardOf(room.slug);
  if (!card) {
    if (!where) return null;
    card = roomCard(room);
    if (where === 'top') {
      $('room-list').prepend(card);
      shown.unshift(room.slug);
    } else {
      $('room-list').append(card);
      shown.push(room.slug);
    }
  }
  paint(card, room);
  return card;
}

// ---- one room -------------------------------------------------------------------------------

function absolute(path) {
  return new URL(path, location.origin).href;
}

async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // The Clipboard API needs a secure context (https or localhost); elsewhere copy a selection.
    const area = h('textarea', { class: 'visually-hidden', readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  setText(status, 'Copied.');
  setTimeout(() => setText(status, ''), 3000);
}

/** One link: its name, what it is for, the full URL (wrapped, never cut off) and a Copy button. */
function linkRow(label, url, note) {
  const status = h('span', { class: 'hint', role: 'status' });
  return h('div', { class: 'link-row' },
    h('h4', { text: label }),
    h('p', { class: 'hint', text: note }),
    h('div', { class: 'copy-row' },
      h('a', { class: 'link-url', href: url, target: '_blank', rel: 'noopener noreferrer', text: url }),
      h('button', { type: 'button', text: 'Copy', 'aria-label': `Copy the ${label.toLowerCase()}`, onclick: () => copy(url, status) })),
    status);
}

function figure(name, label) {
  return h('div', {}, h('dt', { text: label }), h('dd', { class: `fig-${name}` }));
}

function roomCard(room) {
  const slug = room.slug;
  const card = h('li', { class: 'room-card panel', 'data-slug': slug },
    h('div', { class: 'room-head' },
      h('h3', { tabindex: '-1' }),
      h('p', { class: 'hint room-tag' })),
    h('dl', { class: 'room-figures' },
      figure('status', TEXT.figures.status), figure('online', TEXT.figures.online), figure('posts', TEXT.figures.posts),
      figure('ratings', TEXT.figures.ratings), figure('created', TEXT.figures.created)),
    h('div', { class: 'tool-row room-actions' },
      h('button', { type: 'button', class: 'act-links', 'aria-expanded': 'false', 'aria-controls': `links-${slug}`, text: TEXT.showLinks }),
      h('button', { type: 'button', class: 'act-keys', text: TEXT.newKeys }),
      h('button', { type: 'button', class: 'act-close' }),
      h('button', { type: 'button', class: 'act-delete', text: TEXT.remove })),
    h('p', { class: 'hint room-status', role: 'status' }),
    h('p', { class: 'room-error', role: 'alert', hidden: true }),
    h('div', { class: 'room-links', id: `links-${slug}`, hidden: true }),
    h('details', { class: 'access-details' },
      h('summary', { text: TEXT.accessDetails }),
      accessPanel(room, { key: organizerKey, onChange: (changed) => paint(card, changed) })));
  card.querySelector('.act-links').addEventListener('click', (e) => toggleLinks(card, e.currentTarget));
  card.querySelector('.act-keys').addEventListener('click', (e) => act(card, e.currentTarget, newKeys));
  card.querySelector('.act-close').addEventListener('click', (e) => act(card, e.currentTarget, closeOrReopen));
  card.querySelector('.act-delete').addEventListener('click', (e) => act(card, e.currentTarget, remove));
  card.room = room;
  return card;
}

/** Shows what the server said about a room; figures change in place, nothing is rebuilt. */
function paint(card, room) {
  card.room = { ...card.room, ...room };
  const r = card.room;
  const q = (selector) => card.querySelector(selector);
  setText(q('h3'), r.title || r.hashtag);
  setText(q('.room-tag'), r.title && r.title !== r.hashtag ? r.hashtag : '');
  setText(q('.fig-status'), r.status === 'closed' ? TEXT.closed : TEXT.open);
  setAttr(card, 'data-status', r.status);
  if (r.online != null) setText(q('.fig-online'), r.online);
  if (r.posts != null) setText(q('.fig-posts'), r.posts);
  if (r.ratings != null) setText(q('.fig-ratings'), r.ratings);
  if (r.createdAt) {
    card.dataset.created = r.createdAt;
    const date = new Date(r.createdAt);
    setText(q('.fig-created'), date.toDateString() === new Date().toDateString() ? clockTime(r.createdAt)
      : date.toLocaleDateString([], { day: 'numeric', month: 'short' }));
  }
  const close = q('.act-close');
  setText(close, r.status === 'closed' ? TEXT.reopen : TEXT.close);
  setAttr(close, 'aria-label', `${r.status === 'closed' ? TEXT.reopen : TEXT.close}: ${r.title || r.hashtag}`);
  setAttr(q('.act-keys'), 'aria-label', `${TEXT.newKeys}: ${r.title || r.hashtag}`);
  setAttr(q('.act-delete'), 'aria-label', `${TEXT.remove}: ${r.title || r.hashtag}`);
  setAttr(q('.act-links'), 'aria-label', `${q('.room-links').hidden ? TEXT.showLinks : TEXT.hideLinks}: ${r.title || r.hashtag}`);
}

function say(card, text) {
  setText(card.querySelector('.room-status'), text);
}

function fail(card, text) {
  const error = card.querySelector('.room-error');
  setText(error, text);
  error.hidden = !text;
}

/** Runs one of a card's actions: the button is off meanwhile, the outcome said under the buttons. */
async function act(card, button, action) {
  const key = organizerKey();
  fail(card, '');
  if (!key) return fail(card, TEXT.keyShort);
  button.disabled = true;
  try {
    const said = await action(card, key, button);
    if (said != null) say(card, said);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') {
      forget(card.dataset.slug); // deleted meanwhile (elsewhere)
      setText($('rooms-status'), TEXT.removed(card.room.hashtag));
      return;
    }
    fail(card, TEXT.failed(error.message));
  } finally {
    if (button.isConnected) button.disabled = false;
  }
}

function linksPath(card) {
  return `/api/rooms/${encodeURIComponent(card.dataset.slug)}`;
}

function showLinks(card, staff) {
  const box = card.querySelector('.room-links');
  const slug = card.dataset.slug;
  const links = staff.links || {};
  const audience = absolute(links.audience || `/r/${slug}`);
  const rows = ['audience', 'dashboard', 'screen', 'moderate']
    .filter((name) => links[name])
    .map((name) => linkRow(TEXT.links[name][0], absolute(links[name]), TEXT.links[name][1]));
  box.replaceChildren(
    h('figure', { class: 'qr' },
      h('img', { src: `/api/rooms/${encodeURIComponent(slug)}/qr.svg`, width: 200, height: 200, alt: `QR code of the audience link ${audience}` }),
      h('figcaption', {}, h('a', { href: `/api/rooms/${encodeURIComponent(slug)}/qr.svg`, download: `${slug}-qr.svg`, text: 'Download the QR code (SVG)' }))),
    h('div', { class: 'stack' }, ...rows, links.dashboard ? null : h('p', { class: 'notice', text: TEXT.noLinks })));
  box.hidden = false;
  const toggle = card.querySelector('.act-links');
  setText(toggle, TEXT.hideLinks);
  setAttr(toggle, 'aria-expanded', 'true');
  paint(card, {});
}

async function toggleLinks(card, button) {
  const box = card.querySelector('.room-links');
  if (!box.hidden) {
    box.hidden = true;
    box.replaceChildren(); // the links carry keys: not left in the page when not asked for
    setText(button, TEXT.showLinks);
    setAttr(button, 'aria-expanded', 'false');
    paint(card, {});
    return;
  }
  await act(card, button, async (c, key) => {
    say(c, TEXT.linksLoading);
    showLinks(c, await requestJson('GET', `${linksPath(c)}/links`, { key }));
    return '';
  });
}

async function newKeys(card, key) {
  const title = card.room.title || card.room.hashtag;
  if (!await confirmAction({ title: TEXT.newKeysTitle(title), text: TEXT.newKeysText, ok: TEXT.newKeysOk })) return null;
  showLinks(card, await requestJson('POST', `${linksPath(card)}/keys`, { key, body: { roles: ['speaker', 'moderator'] } }));
  return TEXT.newKeysDone;
}

async function closeOrReopen(card, key) {
  if (card.room.status === 'closed') {
    paint(card, await requestJson('POST', `${linksPath(card)}/reopen`, { key }));
    return TEXT.reopenDone;
  }
  const title = card.room.title || card.room.hashtag;
  if (!await confirmAction({ title: TEXT.closeTitle(title), text: TEXT.closeText, ok: TEXT.closeOk })) return null;
  // Closing is the moderator's call in the protocol: the console uses the room's moderator key.
  const staff = await requestJson('GET', `${linksPath(card)}/links`, { key });
  if (!staff.moderatorKey) throw new ApiError(409, 'conflict', TEXT.noLinks);
  await request('POST', `${linksPath(card)}/close`, { key: staff.moderatorKey });
  paint(card, { status: 'closed', closedAt: new Date().toISOString() });
  return TEXT.closeDone;
}

async function remove(card, key) {
  const { title, hashtag } = card.room;
  if (!await confirmAction({ title: TEXT.removeTitle(title || hashtag), text: TEXT.removeText, ok: TEXT.removeOk, typed: hashtag })) return null;
  await request('DELETE', linksPath(card), { key });
  const index = shown.indexOf(card.dataset.slug);
  forget(card.dataset.slug);
  setText($('rooms-status'), TEXT.removed(hashtag));
  // Focus goes to the next room's title (or the list's heading), never to the page's start.
  const after = shown[index] ?? shown[index - 1];
  const target = after ? cardOf(after).querySelector('h3') : $('rooms-title');
  target.setAttribute('tabindex', '-1');
  target.focus();
  $('rooms-empty').hidden = shown.length > 0;
  return null;
}

// ---- the confirmation dialog ---------------------------------------------------------------

/**
 * Asks in a modal dialog; resolves true when confirmed. With `typed`, the confirm button works only
 * once that text (a hashtag; case and the leading # do not matter) is typed. Focus returns where it was.
 */
function confirmAction({ title, text, ok, typed }) {
  const dialog = $('confirm');
  const input = $('confirm-input');
  const returnTo = document.activeElement;
  const normal = (value) => value.trim().replace(/^#/, '').toLowerCase();
  setText($('confirm-title'), title);
  setText($('confirm-text'), text);
  setText($('confirm-ok'), ok);
  $('confirm-typed').hidden = !typed;
  input.value = '';
  setText($('confirm-label'), typed ? TEXT.removeLabel(typed) : '');
  const check = () => { $('confirm-ok').disabled = Boolean(typed) && normal(input.value) !== normal(typed); };
  input.oninput = check;
  check();
  dialog.returnValue = '';
  dialog.showModal();
  (typed ? input : $('confirm-cancel')).focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (returnTo && returnTo.isConnected) returnTo.focus();
      resolve(dialog.returnValue === 'ok' && (!typed || normal(input.value) === normal(typed)));
    }, { once: true });
  });
}
// Enter in the typed field confirms only when the text matches (the form would otherwise submit "cancel").
$('confirm-input').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    event.preventDefault();
    if (!$('confirm-ok').disabled) $('confirm').close('ok');
  }
});
$('confirm').addEventListener('cancel', () => { $('confirm').returnValue = 'cancel'; });

document.addEventListener('visibilitychange', () => { if (!document.hidden && listed) refresh(); });

if (organizerKey()) loadRooms(false);
