// The audience page /r/{slug}: join, post and reply, rate -5..+5, three orderings, folded posts,
// the highlighted post pinned on top, your karma, and a connection that survives bad Wi-Fi.
// It may be reached as /r/{slug}#invite=... (a personal invitation) or #token=... (back from the
// organization's sign-in); both leave the address bar at once.

import { ApiError, requestJson } from './api.js';
import { Connection } from './connection.js';
import { JoinPanel } from './join.js';
import {
  authorName, clockTime, connectionIndicator, h, ratingLabel, ratingsText, setAttr, setText, signed, syncList,
} from './render.js';
import { load, save, slugFromPath, takeFromFragment } from './storage.js';

const MAX_SHOWN = 300;
const SETTLE_MS = 1500;
const TABS = {
  top: {
    help: 'Best rated first.',
    empty: 'No posts yet. Ask the first question!',
    keep: () => true,
    order: (a, b) => b.score - a.score || newer(a, b),
  },
  new: {
    help: 'Newest first.',
    empty: 'No posts yet. Ask the first question!',
    keep: () => true,
    order: newer,
  },
  divergent: {
    help: 'Posts that split the room: many high and many low ratings (at least 3 ratings).',
    empty: 'Nothing has split the room yet.',
    keep: (p) => p.ratings >= 3,
    order: (a, b) => b.divergence - a.divergence || b.ratings - a.ratings,
  },
};

function newer(a, b) {
  return (b.createdAt > a.createdAt) - (b.createdAt < a.createdAt) || (b.id > a.id) - (b.id < a.id);
}

const $ = (id) => document.getElementById(id);
const slug = slugFromPath();
const keys = {
  identity: `bc:identity:${slug}`,
  draft: `bc:draft:${slug}`,
  queue: `bc:queue:${slug}`,
  tab: `bc:tab:${slug}`,
};

const posts = new Map(); // id -> Post as last received (hidden posts are dropped)
const confirmed = new Map(); // id -> my rating the server acknowledged (null: none)
const opened = new Set(); // folded posts the reader chose to open
const arrived = takeFromFragment('token', 'invite');
// A token from the sign-in callback names the person who just signed in: it replaces any other.
if (slug && arrived.token) save(localStorage, keys.identity, { token: arrived.token });
let identity = load(localStorage, keys.identity, null);
let room = null; // the Room as last described (GET, welcome, then `room` frames)
let you = null;
let closed = false;
let tab = load(sessionStorage, keys.tab, 'top');
let loaded = false; // a welcome arrived: an empty list now means an empty room
let lastTouch = 0;
let renderTimer = null;

const connection = new Connection({
  room: slug,
  credentials: () => ({ token: identity && identity.token }),
  queueKey: keys.queue,
});
connectionIndicator($('conn'), connection);

// --- join -----------------------------------------------------------------------------------

// An invitation or sign-in link opened in this tab changes only the fragment, which loads nothing:
// start again, so it is taken like one opened in a new tab.
window.addEventListener('hashchange', () => {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.has('token') || params.has('invite')) location.reload();
});

const joinPanel = new JoinPanel({
  slug,
  describeRoom: async () => {
    showRoom(await requestJson('GET', `/api/rooms/${encodeURIComponent(slug)}`));
    return room;
  },
  onJoined: (joined) => {
    identity = joined;
    save(localStorage, keys.identity, identity);
    showApp();
    connection.start();
    $('composer-text').focus();
  },
});

async function start() {
  restoreDraft();
  if (!slug) {
    showNotice('This address does not name a room.');
    return;
  }
  setText($('room-title'), `#${slug}`);
  selectTab(TABS[tab] ? tab : 'top', false);
  if (identity && identity.token) {
    showApp();
    connection.start();
  }
  try {
    showRoom(await requestJson('GET', `/api/rooms/${encodeURIComponent(slug)}`));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found' && !identity) {
      showNotice(`There is no room #${slug}. Check the link.`);
      return;
    }
  }
  // The form waits for the room's access mode, so it does not change shape under the person's
  // fingers; without an answer it offers the open form, and a refusal then tells what is needed.
  if (!identity) showJoin();
}

function showJoin(message) {
  joinPanel.show(room ? room.access : 'open', { invite: arrived.invite, message });
  $('app').hidden = true;
  $('me').hidden = true;
}

function showApp() {
  joinPanel.hide();
  $('app').hidden = false;
}

// --- connection events ------------------------------------------------------------------------

connection.addEventListener('welcome', ({ detail }) => {
  you = detail.you;
  showRoom(detail.room);
  setKarma(you.karma);
  setText($('me-nick'), you.nick || 'Anonymous');
  $('me').hidden = false;
  hideNotice();
  if (!detail.resumed) {
    posts.clear();
    confirmed.clear();
  }
  detail.posts.forEach((post) => keep(post, true));
  loaded = true;
  render(true);
});

connection.addEventListener('posts', ({ detail }) => {
  detail.posts.forEach((post) => keep(post, false));
  scheduleRender();
});

connection.addEventListener('ack', ({ detail }) => {
  if (detail.post) keep(detail.post, true);
  if (detail.command && detail.command.type === 'post') say('Posted.', true);
  scheduleRender();
});

connection.addEventListener('retrying', ({ detail }) => {
  say(detail.code === 'rate_limited'
    ? 'Slow down a little: it will be sent by itself in a few seconds.'
    : 'The server is busy: it will be sent by itself.');
});

connection.addEventListener('refused', ({ detail }) => {
  const command = detail.command;
  if (command.type === 'post') {
    giveBack(command);
    say(`Not posted: ${detail.message} Your text is back in the box.`);
  } else {
    say(`Rating not saved: ${detail.message}`);
  }
  scheduleRender();
});

connection.addEventListener('presence', ({ detail }) => {
  if (room) room.online = detail.online;
  setText($('online'), detail.online);
});

connection.addEventListener('room', ({ detail }) => {
  // A room frame carries only what changed (a title, the access, or the status).
  const { type, ...changed } = detail;
  showRoom({ ...room, ...changed });
  scheduleRender();
});

connection.addEventListener('status', () => scheduleRender());

connection.addEventListener('fatal', ({ detail }) => {
  if (detail.code === 4401) {
    // The token no longer works (a server with a new secret): join again. Unsent posts are kept
    // for the new identity; unsent ratings named posts of the old session and are dropped.
    identity = null;
    save(localStorage, keys.identity, null);
    connection.clearQueue('rate');
    showJoin('Your session has ended. Join again to continue: your unsent text is kept.');
  } else if (detail.code === 4403) {
    showNotice('A moderator removed you from this room.');
    setComposerEnabled(false);
  } else {
    showNotice('This room does not exist (any more). Your unsent text is kept on this device.');
    $('composer-send').disabled = true;
    loaded = true;
    render(true);
  }
});

function keep(post, personal) {
  if (post.status === 'hidden') {
    posts.delete(post.id);
  } else {
    posts.set(post.id, post);
  }
  if (personal) confirmed.set(post.id, post.mine ?? null);
  // An author's karma travels with each of their posts: ours keeps the counter current.
  if (you && post.author && post.author.id === you.id) setKarma(post.author.karma);
}

function setKarma(value) {
  setText($('karma'), signed(value));
}

function showRoom(described) {
  if (!described) return;
  room = described;
  setText($('room-title'), room.title);
  setText($('room-tag'), room.title === room.hashtag ? '' : room.hashtag);
  document.title = `${room.title} · Backchannel`;
  if (typeof room.online === 'number') setText($('online'), room.online);
  closed = room.status === 'closed';
  showClosed();
}

function showClosed() {
  if (closed) showNotice('This room is closed: you can read, but no longer post or rate.');
  setComposerEnabled(!closed);
}

function showNotice(text) {
  const notice = $('notice');
  setText(notice, text);
  notice.hidden = false;
}

function hideNotice() {
  if (!closed) $('notice').hidden = true;
}

// --- composer -------------------------------------------------------------------------------

let replyTo = null;

function restoreDraft() {
  const draft = load(localStorage, keys.draft, null);
  if (draft) {
    $('composer-text').value = draft.text || '';
    replyTo = draft.replyTo || null;
  }
  updateComposer();
}

function saveDraft() {
  const text = $('composer-text').value;
  save(localStorage, keys.draft, text || replyTo ? { text, replyTo } : null);
}

function updateComposer() {
  const left = 500 - $('composer-text').value.length;
  setText($('composer-count'), `${left} left`);
  const parent = replyTo && posts.get(replyTo);
  $('reply-banner').hidden = !replyTo;
  setText($('reply-author'), parent ? authorName(parent) : 'a post');
  setText($('reply-excerpt'), parent ? excerpt(parent.text) : '');
}

function setComposerEnabled(enabled) {
  $('composer-text').disabled = !enabled;
  $('composer-send').disabled = !enabled;
}

let sayTimer = null;

/** A short message under the composer; confirmations fade, problems stay until the next message. */
function say(text, fade = false) {
  setText($('composer-status'), text);
  clearTimeout(sayTimer);
  if (fade) sayTimer = setTimeout(() => setText($('composer-status'), ''), 4000);
}

function giveBack(command) {
  const box = $('composer-text');
  box.value = box.value.trim() ? `${command.text}\n\n${box.value}` : command.text;
  replyTo = replyTo || command.replyTo || null;
  saveDraft();
  updateComposer();
}

$('composer-text').addEventListener('input', () => {
  saveDraft();
  updateComposer();
});

$('composer-text').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    $('composer').requestSubmit();
  }
});

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const box = $('composer-text');
  const text = box.value.trim();
  if (!text) {
    say('Write something first.');
    box.focus();
    return;
  }
  const cid = connection.send({ type: 'post', text, replyTo });
  if (!cid) {
    say('Too much is waiting to be sent. Your text stays here; try again once you are back online.');
    return;
  }
  box.value = '';
  replyTo = null;
  saveDraft();
  updateComposer();
  say(connection.state === 'online' ? 'Sending…' : 'Saved: it will be sent when the connection is back.');
  render(false);
});

$('reply-cancel').addEventListener('click', () => {
  replyTo = null;
  saveDraft();
  updateComposer();
  $('composer-text').focus();
});

function excerpt(text) {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

// --- tabs -----------------------------------------------------------------------------------

const tabButtons = [...document.querySelectorAll('[role="tab"]')];

function selectTab(name, focus) {
  tab = name;
  save(sessionStorage, keys.tab, name);
  for (const button of tabButtons) {
    const selected = button.dataset.tab === name;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    if (selected) {
      $('feed').setAttribute('aria-labelledby', button.id);
      if (focus) button.focus();
    }
  }
  render(true);
}

for (const button of tabButtons) {
  button.addEventListener('click', () => selectTab(button.dataset.tab, false));
  button.addEventListener('keydown', (event) => {
    const i = tabButtons.indexOf(button);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabButtons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    selectTab(tabButtons[(next + tabButtons.length) % tabButtons.length].dataset.tab, true);
  });
}

// --- posts ----------------------------------------------------------------------------------

/** My rating as shown: an unsent one wins over the acknowledged one (undefined: unknown). */
function shownRating(id) {
  const unsent = connection.pending('rate').find((c) => c.post === id);
  return unsent ? unsent.value : confirmed.get(id) ?? null;
}

function isUnsentRating(id) {
  return connection.pending('rate').some((c) => c.post === id);
}

function createCard(post) {
  const rating = h('div', { class: 'rate', role: 'group', 'aria-label': 'Your rating, from −5 to +5' });
  for (let value = -5; value <= 5; value++) {
    rating.append(h('button', {
      type: 'button', class: `r r${value < 0 ? 'n' : value > 0 ? 'p' : 'z'}`, 'data-value': value,
      'aria-pressed': 'false', 'aria-label': `Rate ${ratingLabel(value)}`, text: ratingLabel(value),
    }));
  }
  return h('li', { class: 'post' },
    h('article', { class: 'card' },
      h('button', { type: 'button', class: 'fold', 'aria-expanded': 'false', hidden: true }),
      h('div', { class: 'body' },
        h('p', { class: 'context', hidden: true }),
        h('p', { class: 'meta' },
          h('span', { class: 'author' }), ' ', h('span', { class: 'author-karma' }), ' ',
          h('time', { class: 'time' }), ' ', h('span', { class: 'badge', hidden: true })),
        h('p', { class: 'text' }),
        h('p', { class: 'stats' },
          h('span', { class: 'score' }), ' · ', h('span', { class: 'count' }), h('span', { class: 'divergence-sep', text: ' · ' }), h('span', { class: 'divergence' })),
        rating,
        h('div', { class: 'actions' },
          h('span', { class: 'mine-note' }),
          h('button', { type: 'button', class: 'reply link', text: 'Reply' })))));
}

function updateCard(node, post) {
  const q = (selector) => node.querySelector(selector);
  const mineAuthor = you && post.author.id === you.id;
  const folded = post.status === 'collapsed' && !opened.has(post.id);
  setAttr(node, 'data-status', post.status);
  setAttr(node, 'data-mine', mineAuthor ? 'true' : null);

  const fold = q('.fold');
  fold.hidden = post.status !== 'collapsed';
  setAttr(fold, 'aria-expanded', String(!folded));
  setText(fold, folded
    ? `Folded by the room (score ${signed(post.score)}). Show it`
    : 'Fold this post again');
  q('.body').hidden = folded;
  if (folded) return;

  const parent = post.replyTo && posts.get(post.replyTo);
  const context = q('.context');
  context.hidden = !post.replyTo;
  setText(context, post.replyTo ? (parent ? `↪ reply to ${authorName(parent)}: “${excerpt(parent.text)}”` : '↪ reply to an earlier post') : '');

  setText(q('.author'), mineAuthor ? `${authorName(post)} (you)` : authorName(post));
  setText(q('.author-karma'), `karma ${signed(post.author.karma, 1)}`);
  const time = q('.time');
  setAttr(time, 'datetime', post.createdAt);
  setText(time, clockTime(post.createdAt));
  const badge = q('.badge');
  const badgeText = { answered: 'Answered', highlighted: 'Highlighted', collapsed: 'Folded' }[post.status] || '';
  badge.hidden = !badgeText;
  setText(badge, badgeText);

  setText(q('.text'), post.text);
  setText(q('.score'), `score ${signed(post.score)}`);
  setText(q('.count'), post.ratings ? ratingsText(post.ratings) : 'no ratings yet');
  setText(q('.divergence'), `split ${Math.round(post.divergence * 100)}%`);
  q('.divergence').hidden = post.ratings < 2;
  q('.divergence-sep').hidden = post.ratings < 2;

  const mine = shownRating(post.id);
  const rating = q('.rate');
  rating.hidden = mineAuthor;
  if (!mineAuthor) {
    for (const button of rating.children) {
      setAttr(button, 'aria-pressed', String(Number(button.dataset.value) === mine));
      button.disabled = closed;
    }
  }
  const unsent = isUnsentRating(post.id);
  setText(q('.mine-note'), mineAuthor ? 'Your post'
    : mine === null ? (unsent ? 'Withdrawing your rating…' : closed ? '' : 'Tap a number to rate')
      : `You rated ${ratingLabel(mine)}${unsent ? ' (sending…)' : ''}${closed ? '' : ' · tap it again to withdraw'}`);
  q('.reply').disabled = closed;
}

function scheduleRender() {
  if (renderTimer === null) renderTimer = setTimeout(() => render(false), 0);
}

/**
 * Shows the current state. While the reader is tapping, posts only update in place: a reorder
 * would move the post under their thumb. The reorder follows once they pause.
 */
function render(force) {
  clearTimeout(renderTimer);
  renderTimer = null;
  const settling = !force && Date.now() - lastTouch < SETTLE_MS;
  const highlighted = [...posts.values()].filter((p) => p.status === 'highlighted');
  syncList($('pinned-list'), highlighted, createCard, updateCard);
  $('pinned').hidden = highlighted.length === 0;

  const spec = TABS[tab];
  const list = $('posts');
  if (settling) {
    for (const node of list.children) {
      const post = posts.get(node.dataset.key);
      if (post) updateCard(node, post);
    }
    renderTimer = setTimeout(() => render(false), SETTLE_MS - (Date.now() - lastTouch));
  } else {
    const shown = [...posts.values()]
      .filter((p) => p.status !== 'highlighted' && spec.keep(p))
      .sort(spec.order)
      .slice(0, MAX_SHOWN);
    syncList(list, shown, createCard, updateCard);
    const empty = $('empty');
    empty.hidden = shown.length > 0;
    setText(empty, loaded ? spec.empty : 'Loading the posts…');
  }
  setText($('tab-help'), spec.help);
  renderUnsent();
  updateComposer();
}

function renderUnsent() {
  const unsent = connection.pending('post');
  const list = $('unsent');
  list.hidden = unsent.length === 0;
  syncList(list, unsent.map((c) => ({ id: c.cid, text: c.text })),
    () => h('li', {}, h('span', { class: 'unsent-label', text: 'Waiting to send: ' }), h('span', { class: 'unsent-text' })),
    (node, item) => setText(node.querySelector('.unsent-text'), item.text));
}

function onListClick(event) {
  const card = event.target.closest('.post');
  if (!card) return;
  const id = card.dataset.key;
  const post = posts.get(id);
  if (!post) return;
  const rateButton = event.target.closest('.r');
  if (rateButton) {
    const value = Number(rateButton.dataset.value);
    // Tapping your current value again withdraws the rating (value null).
    const next = shownRating(id) === value ? null : value;
    if (!connection.send({ type: 'rate', post: id, value: next })) {
      say('Too much is waiting to be sent; try again once you are back online.');
    }
    updateCard(card, post);
    return;
  }
  if (event.target.closest('.fold')) {
    if (opened.has(id)) opened.delete(id);
    else opened.add(id);
    updateCard(card, post);
    return;
  }
  if (event.target.closest('.reply')) {
    replyTo = id;
    saveDraft();
    updateComposer();
    $('composer-text').focus();
    $('composer').scrollIntoView({ block: 'nearest' });
  }
}

for (const list of [$('posts'), $('pinned-list')]) {
  list.addEventListener('click', onListClick);
  list.addEventListener('pointerdown', () => { lastTouch = Date.now(); });
  list.addEventListener('keydown', () => { lastTouch = Date.now(); });
}

start();
