// The stage screen /r/{slug}/screen#key=<speakerKey>: what goes on the projector behind the speaker
// (or into OBS as a browser source). 16:9, nothing to click: the room's title, a large QR code and
// the short join address (with the room code in a code room), the highlighted post in large type or
// the top three when none is, the online count and the mood. It follows the speaker socket's
// `dashboard`, `posts` and `room` frames; when the socket drops it keeps showing the last state
// (no blank frame) with a small "Reconnecting…" line, and resumes with `since` (connection.js).
// `?transparent=1` or `#transparent` gives a transparent page background for OBS.

import { Connection } from './connection.js';
import { authorName, connectionIndicator, setAttr, setText, signed, syncList, h } from './render.js';
import { requestJson } from './api.js';
import { keyFromFragment, slugFromPath } from './storage.js';

// Page text, kept together for the translations to come.
const TEXT = Object.freeze({
  highlighted: 'Highlighted question',
  top: 'Top questions',
  empty: 'No questions yet. Scan the code and ask the first one.',
  roomCode: 'Room code',
  qrAlt: (url) => `QR code of the room's address ${url}`,
  closed: 'This room is closed: the questions stay readable.',
  gone: 'This room does not exist (any more).',
  badKey: 'This screen\'s link is no longer valid. Ask the organizer for the new stage screen link.',
  noKey: 'This page needs the stage screen link with its key (…/screen#key=…). Ask the organizer for it.',
  moodWord: (mood) => (mood > 0.5 ? 'positive' : mood < -0.5 ? 'negative' : 'neutral'),
  score: (post) => `${signed(post.score, 1)}`,
});
const REFRESH_ROOM_MS = 30_000; // a new room code changes no seq and sends no frame: ask now and then

const $ = (id) => document.getElementById(id);
const slug = slugFromPath();
const key = slug && keyFromFragment(slug, 'screen');
const fragment = new URLSearchParams(location.hash.slice(1));
const query = new URLSearchParams(location.search);
if (fragment.has('transparent') || (query.has('transparent') && query.get('transparent') !== '0')) {
  document.documentElement.classList.add('transparent');
}

const posts = new Map(); // id -> Post: the snapshot from the welcome, then every change
let top = []; // the latest dashboard frame's top posts
let room = null;

function showNotice(text) {
  setText($('notice'), text);
  $('notice').hidden = !text;
}

function joinAddress() {
  return `${location.host}/r/${slug}`;
}

function paintRoom() {
  if (!room) return;
  setText($('room-title'), room.title || room.hashtag);
  document.title = `${room.title || room.hashtag} · Stage screen`;
  const code = room.access === 'code' && room.settings && room.settings.joinCode;
  $('join-code-line').hidden = !code;
  setText($('join-code'), code || '');
  if (room.status === 'closed') showNotice(TEXT.closed);
  else if ($('notice').textContent === TEXT.closed) showNotice('');
}

async function refreshRoom() {
  try {
    const fresh = await requestJson('GET', `/api/rooms/${encodeURIComponent(slug)}`, { key });
    room = { ...(room || {}), ...fresh };
    paintRoom();
  } catch {
    // Keep what is shown; the socket's frames still update the title and status.
  }
}

function paintStage() {
  let highlighted = null; // at most one post of a room is highlighted
  for (const post of posts.values()) if (post.status === 'highlighted') highlighted = post;
  $('highlight').hidden = !highlighted;
  if (highlighted) {
    setText($('highlight-text'), highlighted.text);
    setText($('highlight-author'), `— ${authorName(highlighted)}`);
    setAttr($('highlight'), 'data-length', highlighted.text.length > 280 ? 'long' : highlighted.text.length > 120 ? 'medium' : 'short');
  }
  const three = highlighted ? [] : top.filter((p) => p.status !== 'hidden' && p.status !== 'answered').slice(0, 3);
  syncList($('top'), three, () => h('li', { class: 'top-post' },
    h('p', { class: 'top-text' }),
    h('p', { class: 'top-meta' }, h('span', { class: 'author' }), ' · ', h('span', { class: 'score' }))), (node, post) => {
    setText(node.querySelector('.top-text'), post.text);
    setText(node.querySelector('.author'), authorName(post));
    setText(node.querySelector('.score'), `${TEXT.score(post)} · ${post.ratings} rating${post.ratings === 1 ? '' : 's'}`);
    setAttr(node, 'data-length', post.text.length > 200 ? 'long' : 'short');
  });
  setText($('stage-title'), highlighted ? TEXT.highlighted : TEXT.top);
  $('empty').hidden = Boolean(highlighted) || three.length > 0;
  document.body.dataset.mode = highlighted ? 'highlight' : 'top';
}

const url = `${location.origin}/r/${slug}`;
$('qr').src = `/api/rooms/${encodeURIComponent(slug || '')}/qr.svg`;
$('qr').alt = TEXT.qrAlt(url);
setText($('join-url'), joinAddress());
setText($('empty'), TEXT.empty);

const connection = new Connection({ room: slug, credentials: () => ({ key }), queueKey: `bc:screen-queue:${slug}` });
connectionIndicator($('conn'), connection);

connection.addEventListener('welcome', ({ detail }) => {
  if (!detail.resumed) posts.clear();
  for (const post of detail.posts || []) posts.set(post.id, post);
  room = { ...(room || {}), ...detail.room };
  paintRoom();
  paintStage();
  if ($('notice').textContent !== TEXT.closed) showNotice(room.status === 'closed' ? TEXT.closed : '');
});

connection.addEventListener('posts', ({ detail }) => {
  for (const post of detail.posts) {
    if (post.status === 'hidden') posts.delete(post.id);
    else posts.set(post.id, post);
  }
  top = top.filter((p) => posts.has(p.id)).map((p) => posts.get(p.id));
  paintStage();
});

connection.addEventListener('dashboard', ({ detail }) => {
  for (const post of [...detail.top, ...detail.recent]) posts.set(post.id, post);
  top = detail.top;
  const pulse = detail.pulse;
  setText($('online'), pulse.online);
  setText($('mood'), `${signed(pulse.mood, 1)} ${TEXT.moodWord(pulse.mood)}`);
  setAttr($('mood'), 'data-sign', pulse.mood > 0.5 ? 'up' : pulse.mood < -0.5 ? 'down' : null);
  paintStage();
});

connection.addEventListener('room', ({ detail }) => {
  const { type, ...changes } = detail;
  room = { ...(room || {}), ...changes };
  paintRoom();
  if ('access' in changes) refreshRoom();
});

connection.addEventListener('fatal', ({ detail }) => {
  showNotice(detail.code === 4404 ? TEXT.gone : TEXT.badKey);
});

// A new link (after the organizer made new keys) pasted into this tab changes only the fragment:
// load the page again so it takes the new key.
window.addEventListener('hashchange', () => {
  if (new URLSearchParams(location.hash.slice(1)).has('key')) location.reload();
});

if (!slug || !key) {
  showNotice(TEXT.noKey);
} else {
  connection.start();
  refreshRoom();
  setInterval(refreshRoom, REFRESH_ROOM_MS);
}
