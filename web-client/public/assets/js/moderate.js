// The moderator console /r/{slug}/moderate#key=...: every post (hidden and folded ones too), hide /
// unhide, ban an author (confirmed), close the room (confirmed), download the export, the held
// ratings of the network rule with their decisions, and "Why here?" for every post. The key only
// ever travels in the hello frame and in Authorization headers, never in a URL.

import { request } from './api.js';
import { Connection } from './connection.js';
import { saveBlob } from './files.js';
import { HeldPanel } from './held.js';
import {
  authorName, clockTime, connectionIndicator, h, ratingsText, setAttr, setText, signed, splitBar, syncList,
  updateSplitBar,
} from './render.js';
import { keyFromFragment, slugFromPath } from './storage.js';
import { labelWhyButton, whyButton, WhyDialog } from './why.js';

// Page text added with the network rule, kept together for the translations to come (the older
// strings of this module still sit where they are used).
const TEXT = Object.freeze({
  someHeld: 'Some ratings held back',
  sent: (decision, label) => `${DECISION_NAMES[decision]} for network ${label}: sending…`,
  done: {
    release: (label, about) => `Released: the ratings of network ${label} on “${about}” count in full.`,
    confirm: (label, about) => `Confirmed: the ratings of network ${label} on “${about}” stay out.`,
    venue: (label) => `Network ${label} is now one of the venue's networks.`,
    ban: (label) => `Network ${label} is banned: its participants are removed and their ratings no longer count.`,
  },
  notDone: (message) => `Not done: ${message}`,
  queueFull: 'Too much is waiting to be sent. Wait for the connection, then try again.',
  banTitle: (label) => `Ban network ${label}?`,
  banText: (label, raters, about) => `Everyone who joined this room from network ${label} is banned at once `
    + `(${raters} of them rated “${about}”): their pages close, they cannot come back with those identities, `
    + 'and none of their ratings count any more. Their posts stay (hide them if needed). This cannot be undone.',
  banOk: 'Ban network',
});
const DECISION_NAMES = Object.freeze({ release: 'Release', confirm: 'Confirm', venue: 'Venue', ban: 'Ban' });

const $ = (id) => document.getElementById(id);
const slug = slugFromPath();
const key = slug && keyFromFragment(slug, 'moderate');

const posts = new Map(); // every post of the room, hidden ones included
const banned = new Set(); // participants banned from this console (the protocol has no list of them)
let filter = 'all';
let room = null;
let heldPosts = new Set(); // posts with ratings held back, from the latest `held` frame
const why = slug && key ? new WhyDialog({ slug, key }) : null;
const held = new HeldPanel({
  list: $('held'), empty: $('held-empty'), count: $('held-count'), postOf: (id) => posts.get(id), onDecide: decide,
});

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

connection.addEventListener('held', ({ detail }) => {
  held.update(detail.networks || []);
  render();
});

connection.addEventListener('ack', ({ detail }) => {
  if (detail.post) posts.set(detail.post.id, detail.post);
  const command = detail.command;
  if (command && command.type === 'ban') {
    banned.add(command.participant);
    setText($('tools-status'), 'Participant banned: their sockets are closed and their ratings no longer count.');
  } else if (command && command.type === 'network') {
    setText($('held-status'), TEXT.done[command.decision](command.network, about(posts.get(command.post))));
  }
  render();
});

connection.addEventListener('refused', ({ detail }) => {
  const where = detail.command && detail.command.type === 'network' ? 'held-status' : 'tools-status';
  setText($(where), TEXT.notDone(detail.message));
});

connection.addEventListener('dashboard', ({ detail }) => {
  setText($('room-facts'), `${detail.pulse.online} online · ${detail.pulse.posts} posts`);
});

connection.addEventListener('room', ({ detail }) => {
  if (room) {
    // A room frame carries only what changed (a title, the access, or the status).
    const { type, ...changed } = detail;
    Object.assign(room, changed);
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
      h('span', { class: 'badge held', hidden: true, text: TEXT.someHeld }), ' ',
      h('span', { class: 'author' }), ' ', h('span', { class: 'author-id hint' }), ' ',
      h('time', { class: 'hint' })),
    h('p', { class: 'mtext' }),
    h('p', { class: 'mfigures hint' }),
    splitBar(),
    h('div', { class: 'tool-row' },
      whyButton(),
      h('button', { type: 'button', 'data-action': 'toggle-hidden' }),
      h('button', { type: 'button', 'data-action': 'ban', class: 'danger' })));
}

function updateCard(node, post) {
  const q = (selector) => node.querySelector(selector);
  const isBanned = banned.has(post.author.id);
  setAttr(node, 'data-status', post.status);
  setText(q('.status'), STATUS_LABELS[post.status] || post.status);
  q('.banned').hidden = !isBanned;
  q('.held').hidden = !heldPosts.has(post.id);
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
  labelWhyButton(q('.why'), about);
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
  heldPosts = held.heldPosts();
  held.render();
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
  if (button.dataset.action === 'why') {
    why.open(post);
  } else if (button.dataset.action === 'toggle-hidden') {
    connection.send({ type: 'mark', post: post.id, status: post.status === 'hidden' ? 'visible' : 'hidden' });
  } else if (await confirmAction(`Ban ${authorName(post)}?`,
    `Their sockets close at once, they cannot come back with this identity, and every rating they gave stops counting. Their posts stay (hide them if needed). This cannot be undone.`,
    'Ban')) {
    connection.send({ type: 'ban', participant: post.author.id });
  }
});

// --- held ratings ---------------------------------------------------------------------------

/** A post's text shortened for a sentence; an ellipsis when this page has not loaded the post. */
function about(post) {
  if (!post) return '…';
  return post.text.length > 60 ? `${post.text.slice(0, 60)}…` : post.text;
}

/** One tap on a held pair's button; banning a whole network asks first, like banning an author. */
async function decide(pair, decision) {
  if (decision === 'ban' && !await confirmAction(TEXT.banTitle(pair.network),
    TEXT.banText(pair.network, pair.raters, about(posts.get(pair.post))), TEXT.banOk)) return;
  // Naming the post with every decision gets its new state back in the ack.
  const sent = connection.send({ type: 'network', network: pair.network, post: pair.post, decision });
  setText($('held-status'), sent ? TEXT.sent(decision, pair.network) : TEXT.queueFull);
}

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

/** Fetches the export with the key in a header, then saves it through a Blob URL. */
async function download(format) {
  setText($('tools-status'), 'Preparing the export…');
  try {
    const response = await request('GET', `/api/rooms/${encodeURIComponent(slug)}/export?format=${format}`, { key });
    saveBlob(await response.blob(), `${slug}-export.${format}`);
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
