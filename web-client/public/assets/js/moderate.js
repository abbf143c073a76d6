// The moderator console /r/{slug}/moderate#key=...: every post (hidden and folded ones too), hide /
// unhide, ban an author (confirmed), close the room (confirmed), download the export. The key only
// ever travels in the hello frame and in Authorization headers, never in a URL.

import { request } from './api.js';
import { Connection } from './connection.js';
import {
  authorName, clockTime, connectionIndicator, h, ratingsText, setAttr, setText, signed, splitBar, syncList,
  updateSplitBar,
} from './render.js';
import { keyFromFragment, slugFromPath } from './storage.js';

const $ = (id) => document.getElementById(id);
const slug = slugFromPath();
const key = slug && keyFromFragment(slug, 'moderate');

const posts = new Map(); // every post of the room, hidden ones included
const banned = new Set(); // participants banned from this console (the protocol has no list of them)
let filter = 'all';
let room = null;

const connection = new Connection({ room: slug, credentials: () => ({ key }), queueKey: `bc:moderator-queue:${slug}` });
connectionIndicator($('conn'), connection);

function showNotice(text) {
  setText($('notice'), text);
  $('notice').hidden = !text;
}

function showRoom() {
  setText($('room-title'), room.title);
  document.title = `${room.title} · Moderation`;
  setText($('room-status'), room.status === 'closed' ? 'closed (read-only)' : 'open');
  $('close-room').disabled = room.status === 'closed';
}

connection.addEventListener('welcome', ({ detail }) => {
  if (detail.role !== 'moderator') {
    showNotice('This key is a speaker key: use the moderator link to moderate.');
  }
  room = detail.room;
  showRoom();
  if (!detail.resumed) posts.clear();
  detail.posts.forEach((post) => posts.set(post.id, post));
  render();
});

connection.addEventListener('posts', ({ detail }) => {
  detail.posts.forEach((post) => posts.set(post.id, post));
  render();
});

connection.addEventListener('ack', ({ detail }) => {
  if (detail.post) posts.set(detail.post.id, detail.post);
  if (detail.command && detail.command.type === 'ban') {
    banned.add(detail.command.participant);
    setText($('tools-status'), 'Participant banned: their sockets are closed and their ratings no longer count.');
  }
  render();
});

connection.addEventListener('refused', ({ detail }) => setText($('tools-status'), `Not done: ${detail.message}`));

connection.addEventListener('dashboard', ({ detail }) => {
  setText($('room-facts'), `${detail.pulse.online} online · ${detail.pulse.posts} posts`);
});

connection.addEventListener('room', ({ detail }) => {
  if (room) {
    room.status = detail.status;
    showRoom();
  }
});

connection.addEventListener('fatal', ({ detail }) => {
  showNotice(detail.code === 4404 ? 'This room does not exist (any more).'
    : 'The key in this link is not valid for this room. Ask the organizer for the moderator link.');
});

// --- posts ----------------------------------------------------------------------------------

const STATUS_LABELS = {
  visible: 'Visible', hidden: 'Hidden', collapsed: 'Folded by the room', answered: 'Answered', highlighted: 'Highlighted',
};

function createCard() {
  return h('li', { class: 'mcard' },
    h('p', { class: 'mmeta' },
      h('span', { class: 'badge status' }), ' ',
      h('span', { class: 'badge banned', hidden: true, text: 'Author banned' }), ' ',
      h('span', { class: 'author' }), ' ', h('span', { class: 'author-id hint' }), ' ',
      h('time', { class: 'hint' })),
    h('p', { class: 'mtext' }),
    h('p', { class: 'mfigures hint' }),
    splitBar(),
    h('div', { class: 'tool-row' },
      h('button', { type: 'button', 'data-action': 'toggle-hidden' }),
      h('button', { type: 'button', 'data-action': 'ban', class: 'danger' })));
}

function updateCard(node, post) {
  const q = (selector) => node.querySelector(selector);
  const isBanned = banned.has(post.author.id);
  setAttr(node, 'data-status', post.status);
  setText(q('.status'), STATUS_LABELS[post.status] || post.status);
  q('.banned').hidden = !isBanned;
  setText(q('.author'), authorName(post));
  setText(q('.author-id'), `(${post.author.id}, karma ${signed(post.author.karma, 1)})`);
  const time = q('time');
  setAttr(time, 'datetime', post.createdAt);
  setText(time, clockTime(post.createdAt));
  setText(q('.mtext'), post.text);
  setText(q('.mfigures'),
    `score ${signed(post.score)} · split ${Math.round(post.divergence * 100)}% · ${ratingsText(post.ratings)}`);
  updateSplitBar(q('.split'), post);
  const about = post.text.length > 60 ? `${post.text.slice(0, 60)}…` : post.text;
  const toggle = q('[data-action="toggle-hidden"]');
  const hidden = post.status === 'hidden';
  setText(toggle, hidden ? 'Unhide' : 'Hide');
  setAttr(toggle, 'aria-label', `${hidden ? 'Unhide' : 'Hide'}: ${about}`);
  const ban = q('[data-action="ban"]');
  setText(ban, isBanned ? 'Banned' : 'Ban author…');
  setAttr(ban, 'aria-label', isBanned ? `${authorName(post)} is banned` : `Ban ${authorName(post)}, the author of: ${about}`);
  ban.disabled = isBanned;
}

function render() {
  const shown = [...posts.values()]
    .filter((p) => filter === 'all' || p.status === filter)
    .sort((a, b) => (b.createdAt > a.createdAt) - (b.createdAt < a.createdAt) || (b.id > a.id) - (b.id < a.id));
  syncList($('posts'), shown, createCard, updateCard);
  $('empty').hidden = shown.length > 0;
  const hiddenCount = [...posts.values()].filter((p) => p.status === 'hidden').length;
  setText($('posts-count'), `${posts.size} in all, ${hiddenCount} hidden`);
}

for (const radio of document.querySelectorAll('input[name="filter"]')) {
  radio.addEventListener('change', () => {
    filter = radio.value;
    render();
  });
}

$('posts').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const post = posts.get(button.closest('.mcard').dataset.key);
  if (!post) return;
  if (button.dataset.action === 'toggle-hidden') {
    connection.send({ type: 'mark', post: post.id, status: post.status === 'hidden' ? 'visible' : 'hidden' });
  } else if (await confirmAction(`Ban ${authorName(post)}?`,
    `Their sockets close at once, they cannot come back with this identity, and every rating they gave stops counting. Their posts stay (hide them if needed). This cannot be undone.`,
    'Ban')) {
    connection.send({ type: 'ban', participant: post.author.id });
  }
});

// --- room tools -----------------------------------------------------------------------------

/** Asks in a modal dialog; resolves true when confirmed. Focus returns where it was. */
function confirmAction(title, text, okLabel) {
  const dialog = $('confirm');
  const returnTo = document.activeElement;
  setText($('confirm-title'), title);
  setText($('confirm-text'), text);
  setText($('confirm-ok'), okLabel);
  dialog.returnValue = 'cancel';
  dialog.showModal();
  $('confirm-cancel').focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (returnTo && returnTo.isConnected) returnTo.focus();
      resolve(dialog.returnValue === 'ok');
    }, { once: true });
  });
}

$('close-room').addEventListener('click', async () => {
  if (!await confirmAction('Close the room?',
    'Everyone can still read it, but nobody can post or rate any more. This cannot be undone.', 'Close the room')) return;
  try {
    await request('POST', `/api/rooms/${encodeURIComponent(slug)}/close`, { key });
    setText($('tools-status'), 'The room is closed.');
    if (room) {
      room.status = 'closed';
      showRoom();
    }
  } catch (error) {
    setText($('tools-status'), `Not closed: ${error.message}`);
  }
});

/** Fetches the export with the key in a header, then saves it through a Blob link. */
async function download(format) {
  setText($('tools-status'), 'Preparing the export…');
  try {
    const response = await request('GET', `/api/rooms/${encodeURIComponent(slug)}/export?format=${format}`, { key });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: `${slug}-export.${format}`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setText($('tools-status'), `Export saved as ${slug}-export.${format}.`);
  } catch (error) {
    setText($('tools-status'), `No export: ${error.message}`);
  }
}

$('export-json').addEventListener('click', () => download('json'));
$('export-csv').addEventListener('click', () => download('csv'));

if (!slug || !key) {
  showNotice('This page needs the moderator link with its key (…/moderate#key=…). Ask the organizer for it.');
  for (const button of document.querySelectorAll('.tools button')) button.disabled = true;
} else {
  connection.start();
}
