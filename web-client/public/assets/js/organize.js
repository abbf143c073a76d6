// The organizer page /organize: create a room with the organizer key (kept in sessionStorage only,
// sent only in the Authorization header) and who may join it, then hand out the audience link with
// its QR code, the speaker link and the moderator link as absolute URLs, and manage who may join.

import { accessPanel } from './access-panel.js';
import { ApiError, requestJson } from './api.js';
import { h, setText } from './render.js';
import { load, save } from './storage.js';

// Page text added with access modes, kept together for the translations to come (the older strings
// of this module still sit where they are used).
const TEXT = Object.freeze({
  accessRefused: (message) => `This way of joining is not available: ${message}`,
});

const $ = (id) => document.getElementById(id);
const KEY = 'bc:organizer-key';
const ROOMS = 'bc:organizer-rooms';

// The links carry secrets; this tab's session is the only place they are kept, until it closes.
let rooms = load(sessionStorage, ROOMS, []);
$('organizer-key').value = load(sessionStorage, KEY, '') || '';

function showError(text, field) {
  const error = $('create-error');
  setText(error, text);
  error.hidden = !text;
  for (const input of document.querySelectorAll('#create-form input')) input.removeAttribute('aria-invalid');
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
  if (key.length < 16) return showError('Enter the organizer key (at least 16 characters).', $('organizer-key'));
  if (!$('hashtag').checkValidity()) {
    return showError('The hashtag needs 2–64 letters, digits, _ or - (a leading # is fine).', $('hashtag'));
  }
  save(sessionStorage, KEY, key);
  const button = event.submitter || $('create-form').querySelector('button');
  button.disabled = true;
  showError('');
  try {
    const room = await requestJson('POST', '/api/rooms', { key, body: title ? { hashtag, title, access } : { hashtag, access } });
    rooms = [room, ...rooms.filter((r) => r.slug !== room.slug)];
    save(sessionStorage, ROOMS, rooms);
    $('hashtag').value = '';
    $('title').value = '';
    $('access-open').checked = true;
    render();
    document.querySelector('#room-list .room-card h3').focus();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'unauthorized') {
      save(sessionStorage, KEY, null);
      showError('The server does not know this organizer key.', $('organizer-key'));
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

function render() {
  $('rooms').hidden = rooms.length === 0;
  const list = $('room-list');
  list.replaceChildren(...rooms.map((room) => {
    const audience = absolute(room.links.audience);
    return h('li', { class: 'room-card panel', 'data-slug': room.slug },
      h('h3', { tabindex: '-1', text: `${room.title}` }),
      h('p', { class: 'hint', text: room.hashtag }),
      h('div', { class: 'room-links' },
        h('figure', { class: 'qr' },
          h('img', {
            src: `/api/rooms/${encodeURIComponent(room.slug)}/qr.svg`, width: 200, height: 200,
            alt: `QR code of the audience link ${audience}`,
          }),
          h('figcaption', {}, h('a', {
            href: `/api/rooms/${encodeURIComponent(room.slug)}/qr.svg`, download: `${room.slug}-qr.svg`,
            text: 'Download the QR code (SVG)',
          }))),
        h('div', { class: 'stack' },
          linkRow('Audience link', audience, 'Share it, or show the QR code on a slide.'),
          linkRow('Speaker link', absolute(room.links.dashboard), 'For the speaker\'s laptop or an OBS browser source (add &obs for no buttons).'),
          linkRow('Moderator link', absolute(room.links.moderate), 'Hide posts, ban, close the room, export.'))),
      accessPanel(room, { key: () => load(sessionStorage, KEY, null), onChange: keepRoom }));
  }));
}

/** Keeps a room's new settings (for a reload of this tab), without rebuilding the cards. */
function keepRoom(room) {
  rooms = rooms.map((r) => (r.slug === room.slug ? room : r));
  save(sessionStorage, ROOMS, rooms);
}

render();
