// The speaker's screen /r/{slug}/dashboard#key=...: the top and divergent columns of `dashboard`
// frames, the pulse with a live mood chart, marks (answered, highlight), a badge on posts whose
// ratings are partly held back, and "Why here?" for every post. Every update patches the existing
// cards in place (keyed), so a projector never flickers.

import { Connection } from './connection.js';
import { MoodChart } from './mood-chart.js';
import {
  authorName, connectionIndicator, h, setAttr, setText, signed, splitBar, syncList, updateSplitBar,
} from './render.js';
import { keyFromFragment, slugFromPath } from './storage.js';
import { labelWhyButton, whyButton, WhyDialog } from './why.js';

// Page text added with the network rule, kept together for the translations to come (the older
// strings of this module still sit where they are used).
const TEXT = Object.freeze({
  someHeld: 'Some ratings held back',
});

const $ = (id) => document.getElementById(id);
const slug = slugFromPath();
const key = slug && keyFromFragment(slug, 'dashboard');
// "#obs" (e.g. #key=...&obs) for an OBS browser source: nothing to click there, so no buttons.
if (new URLSearchParams(location.hash.slice(1)).has('obs')) document.body.classList.add('obs');

const latest = new Map(); // id -> Post, from the latest frame that held it
let heldPosts = new Set(); // posts of the latest frame whose ratings are partly held back
const why = slug && key ? new WhyDialog({ slug, key }) : null;
const chart = new MoodChart($('mood-chart'));

const connection = new Connection({ room: slug, credentials: () => ({ key }), queueKey: `bc:speaker-queue:${slug}` });
connectionIndicator($('conn'), connection);

function showNotice(text) {
  setText($('notice'), text);
  $('notice').hidden = !text;
}

connection.addEventListener('welcome', ({ detail }) => {
  setText($('room-title'), detail.room.title);
  setText($('room-tag'), detail.room.title === detail.room.hashtag ? '' : detail.room.hashtag);
  document.title = `${detail.room.title} · Speaker dashboard`;
  showNotice(detail.room.status === 'closed' ? 'This room is closed.' : '');
});

connection.addEventListener('dashboard', ({ detail }) => {
  for (const post of [...detail.top, ...detail.divergent, ...detail.recent]) latest.set(post.id, post);
  heldPosts = new Set(detail.held || []);
  syncList($('top'), detail.top, createCard, updateCard);
  syncList($('divergent'), detail.divergent, createCard, updateCard);
  $('top-empty').hidden = detail.top.length > 0;
  $('divergent-empty').hidden = detail.divergent.length > 0;
  const pulse = detail.pulse;
  setText($('pulse-online'), pulse.online);
  setText($('pulse-posts'), pulse.posts);
  setText($('pulse-rpm'), Math.round(pulse.ratingsPerMinute));
  setText($('pulse-mood'), signed(pulse.mood, 1));
  setAttr($('pulse-mood'), 'data-sign', pulse.mood > 0.05 ? 'up' : pulse.mood < -0.05 ? 'down' : null);
  chart.add(pulse.mood);
});

connection.addEventListener('posts', ({ detail }) => {
  for (const post of detail.posts) if (latest.has(post.id)) latest.set(post.id, post);
});

connection.addEventListener('ack', ({ detail }) => {
  if (detail.post) latest.set(detail.post.id, detail.post);
});

connection.addEventListener('refused', ({ detail }) => toast(`Not done: ${detail.message}`, null));

connection.addEventListener('room', ({ detail }) => {
  if (detail.status === 'closed') showNotice('This room is closed.');
});

connection.addEventListener('fatal', ({ detail }) => {
  showNotice(detail.code === 4404 ? 'This room does not exist (any more).'
    : 'The key in this link is not valid for this room. Ask the organizer for the speaker link.');
});

function createCard() {
  return h('li', { class: 'dcard' },
    h('p', { class: 'dtext' }),
    h('p', { class: 'dmeta' }, h('span', { class: 'author' }), ' ', h('span', { class: 'badge highlighted', hidden: true }),
      ' ', h('span', { class: 'badge held', hidden: true, text: TEXT.someHeld })),
    h('p', { class: 'dfigures' },
      h('span', { class: 'fig score' }, h('b'), ' score'),
      h('span', { class: 'fig divergence' }, h('b'), ' split'),
      h('span', { class: 'fig count' }, h('b'), ' ', h('span', { class: 'noun' }))),
    splitBar(),
    h('div', { class: 'dactions' },
      h('button', { type: 'button', class: 'mark-answered', 'data-action': 'answered', text: 'Answered' }),
      h('button', { type: 'button', class: 'mark-highlight', 'data-action': 'highlight' }),
      whyButton()));
}

function updateCard(node, post) {
  const q = (selector) => node.querySelector(selector);
  setAttr(node, 'data-status', post.status);
  setText(q('.dtext'), post.text);
  setText(q('.author'), `— ${authorName(post)}`);
  const badge = q('.badge.highlighted');
  badge.hidden = post.status !== 'highlighted';
  setText(badge, 'Highlighted');
  q('.badge.held').hidden = !heldPosts.has(post.id);
  setText(q('.score b'), signed(post.score));
  setText(q('.divergence b'), `${Math.round(post.divergence * 100)}%`);
  setText(q('.count b'), post.ratings);
  setText(q('.count .noun'), post.ratings === 1 ? 'rating' : 'ratings');
  updateSplitBar(q('.split'), post);
  const highlight = q('.mark-highlight');
  setText(highlight, post.status === 'highlighted' ? 'Unhighlight' : 'Highlight');
  setAttr(highlight, 'aria-pressed', String(post.status === 'highlighted'));
  // The buttons name the post so a screen reader user knows which one they act on.
  const about = post.text.length > 60 ? `${post.text.slice(0, 60)}…` : post.text;
  setAttr(q('.mark-answered'), 'aria-label', `Mark answered: ${about}`);
  setAttr(highlight, 'aria-label', `${post.status === 'highlighted' ? 'Unhighlight' : 'Highlight'}: ${about}`);
  labelWhyButton(q('.why'), about);
}

function mark(postId, status) {
  if (!connection.send({ type: 'mark', post: postId, status })) toast('Too much is waiting to be sent.', null);
}

for (const list of [$('top'), $('divergent')]) {
  list.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const id = button.closest('.dcard').dataset.key;
    const post = latest.get(id);
    if (button.dataset.action === 'why') {
      if (post) why.open(post);
    } else if (button.dataset.action === 'answered') {
      mark(id, 'answered');
      toast('Marked as answered.', () => mark(id, 'visible'));
    } else {
      mark(id, post && post.status === 'highlighted' ? 'visible' : 'highlighted');
    }
  });
}

let toastTimer = null;
let undo = null;

function toast(text, onUndo) {
  setText($('toast-text'), text);
  undo = onUndo;
  $('toast-undo').hidden = !onUndo;
  $('toast').hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { $('toast').hidden = true; }, 8000);
}

$('toast-undo').addEventListener('click', () => {
  if (undo) undo();
  undo = null;
  $('toast').hidden = true;
});

if (!slug || !key) {
  showNotice('This page needs the speaker link with its key (…/dashboard#key=…). Ask the organizer for it.');
} else {
  connection.start();
}
