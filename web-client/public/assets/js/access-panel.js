// The organizer page's "Who may join" panel of one room (PROTOCOL.md v2, access): the room code in
// large type with "New code", a switch of the access mode, how much the ratings of unverified
// participants count, and personal invitations (create, count, CSV, printable sheet). Every call
// carries the organizer key in its Authorization header, so the page fetches the files itself.

import { request, requestJson } from './api.js';
import { saveBlob, tabForPage } from './files.js';
import { h, setText } from './render.js';

// Page text of this module, kept together for the translations to come.
const TEXT = Object.freeze({
  title: 'Who may join',
  modes: {
    open: 'Anyone with the link',
    code: 'Anyone with the room code',
    invite: 'Only people with a personal invitation',
    signin: 'People who sign in with the organization\'s account',
  },
  now: (mode) => `Now: ${TEXT.modes[mode] || mode}.`,
  change: 'Change who may join',
  changeButton: 'Change',
  changed: (mode) => `Changed: ${TEXT.modes[mode]}. People already in stay in.`,
  unchanged: 'That is already how people join this room.',
  code: 'Room code',
  codeHint: 'Show it on a slide or at the door. A new code keeps everyone who is already in; '
    + 'use it when the old one has spread beyond the hall.',
  newCode: 'New code',
  newCodeDone: (code) => `New room code: ${code}. The old one no longer works.`,
  weight: 'Ratings of people who joined without verification count ×',
  weightHint: '1 counts them in full, 0 not at all. Useful after switching an open room to a code mid-event: '
    + 'people who joined before the switch never showed the code.',
  weightButton: 'Save',
  weightInvalid: 'Enter a number from 0 to 1, for example 0.5.',
  weightDone: (weight) => `Saved: their ratings count × ${weight}.`,
  invitations: 'Personal invitations',
  invitationsHint: 'Each invitation lets one person in, on all of their devices, while the room is set to '
    + 'personal invitations. You can prepare them before switching.',
  count: 'How many to create',
  create: 'Create invitations',
  countInvalid: 'Enter a number of invitations from 1 to 20000.',
  created: (n) => `Created ${n} ${n === 1 ? 'invitation' : 'invitations'}.`,
  summary: (count, used) => `${count} ${count === 1 ? 'invitation' : 'invitations'}, ${used} used`,
  summaryLoading: 'Counting the invitations…',
  refresh: 'Count again',
  csv: 'Download CSV',
  csvDone: (name) => `Saved as ${name}.`,
  sheet: 'Open printable sheet',
  sheetPage: (pages) => `Sheet page (of ${pages})`,
  sheetWaiting: 'Preparing the printable sheet…',
  sheetOpened: 'The printable sheet opened in a new tab.',
  sheetBlocked: 'The browser blocked the new tab: allow pop-ups for this page, then try again.',
  preparing: 'Preparing…',
  failed: (message) => `Not done: ${message}`,
  noKey: 'Enter the organizer key in the form above first.',
});
const MODES = Object.keys(TEXT.modes);
/** Invitations per page of the printable sheet (the server's Invitations.SHEET_PAGE). */
const SHEET_PAGE = 200;
const MAX_INVITES = 20_000;

/**
 * Builds the panel of `room` (the 201 answer of POST /api/rooms, possibly with settings updated
 * since). `key()` gives the organizer key; `onChange(room)` gets the room with its new settings so
 * the page can keep them.
 */
export function accessPanel(room, { key, onChange }) {
  const slug = room.slug;
  const id = (name) => `${name}-${slug}`;
  const path = `/api/rooms/${encodeURIComponent(slug)}`;

  const status = h('p', { class: 'hint access-status', role: 'status' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const now = h('p', { class: 'access-now' });
  const code = h('p', { class: 'room-code' });
  const codeBox = h('div', { class: 'code-box' },
    h('h5', { text: TEXT.code }),
    h('div', { class: 'code-row' }, code,
      h('button', { type: 'button', text: TEXT.newCode, onclick: (e) => act(e.currentTarget, newCode) })),
    h('p', { class: 'hint', text: TEXT.codeHint }));
  const mode = h('select', { id: id('mode') },
    MODES.map((m) => h('option', { value: m, text: TEXT.modes[m] })));
  const weight = h('input', {
    id: id('weight'), type: 'number', min: 0, max: 1, step: 'any', inputmode: 'decimal', 'aria-describedby': id('weight-hint'),
  });
  const count = h('input', { id: id('count'), type: 'number', min: 1, max: MAX_INVITES, value: 50, inputmode: 'numeric' });
  const summary = h('p', { class: 'invites-summary', text: TEXT.summaryLoading });
  const page = h('input', { id: id('page'), type: 'number', min: 1, max: 1, value: 1, inputmode: 'numeric' });
  const pageLabel = h('label', { for: id('page') });
  const pageField = h('div', { class: 'page-field', hidden: true }, pageLabel, page);

  const panel = h('section', { class: 'access', 'aria-labelledby': id('access-title') },
    h('h4', { id: id('access-title'), text: TEXT.title }),
    now,
    codeBox,
    // novalidate: this panel says what is wrong itself, in an announced message by the field.
    h('form', { class: 'inline-form', novalidate: true, onsubmit: (e) => submit(e, changeMode) },
      h('label', { for: id('mode'), text: TEXT.change }),
      h('div', { class: 'field-row' }, mode, h('button', { type: 'submit', text: TEXT.changeButton }))),
    h('form', { class: 'inline-form', novalidate: true, onsubmit: (e) => submit(e, saveWeight) },
      h('label', { for: id('weight'), text: TEXT.weight }),
      h('div', { class: 'field-row' }, weight, h('button', { type: 'submit', text: TEXT.weightButton })),
      h('p', { class: 'hint', id: id('weight-hint'), text: TEXT.weightHint })),
    h('section', { class: 'invitations', 'aria-labelledby': id('invites-title') },
      h('h5', { id: id('invites-title'), text: TEXT.invitations }),
      h('p', { class: 'hint', text: TEXT.invitationsHint }),
      h('div', { class: 'tool-row' }, summary,
        h('button', { type: 'button', class: 'link', text: TEXT.refresh, onclick: (e) => act(e.currentTarget, countInvites) })),
      h('form', { class: 'inline-form', novalidate: true, onsubmit: (e) => submit(e, createInvites) },
        h('label', { for: id('count'), text: TEXT.count }),
        h('div', { class: 'field-row' }, count, h('button', { type: 'submit', text: TEXT.create }))),
      h('div', { class: 'tool-row' },
        h('button', { type: 'button', text: TEXT.csv, onclick: (e) => act(e.currentTarget, downloadCsv) }),
        pageField,
        h('button', { type: 'button', text: TEXT.sheet, onclick: (e) => act(e.currentTarget, openSheet) }))),
    status,
    error);

  function show() {
    const settings = room.settings || {};
    const access = settings.access || room.access || 'open';
    setText(now, TEXT.now(access));
    mode.value = access;
    codeBox.hidden = access !== 'code' || !settings.joinCode;
    setText(code, settings.joinCode || '');
    if (document.activeElement !== weight) weight.value = settings.unverifiedWeight ?? 1;
  }

  function say(text) {
    setText(status, text);
    setText(error, '');
    error.hidden = true;
    for (const input of panel.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  function fail(text, field) {
    setText(status, '');
    setText(error, text);
    error.hidden = false;
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  }

  /**
   * Runs one action of a button: the button is disabled meanwhile, and the outcome is announced
   * right under the button's group, where the eye is (on a phone the panel is several screens long).
   */
  async function act(button, action) {
    button.closest('.inline-form, .tool-row, .code-box').after(status, error);
    const bearer = key();
    if (!bearer) return fail(TEXT.noKey, null);
    button.disabled = true;
    say(TEXT.preparing);
    try {
      say(await action(bearer));
    } catch (e) {
      fail(e.field ? e.message : TEXT.failed(e.message), e.field);
    } finally {
      button.disabled = false;
    }
  }

  function submit(event, action) {
    event.preventDefault();
    act(event.submitter || event.currentTarget.querySelector('button'), action);
  }

  /** Keeps the room as the server just described it (with its settings, as staff see them). */
  function keep(described) {
    room = { ...room, title: described.title, access: described.access, settings: described.settings };
    onChange(room);
    show();
  }

  async function configure(bearer, changes) {
    keep(await requestJson('PATCH', path, { key: bearer, body: changes }));
  }

  async function newCode(bearer) {
    await configure(bearer, { joinCode: 'new' });
    return TEXT.newCodeDone(room.settings.joinCode);
  }

  async function changeMode(bearer) {
    if (mode.value === (room.settings || room).access) return TEXT.unchanged;
    await configure(bearer, { access: mode.value });
    return TEXT.changed(mode.value);
  }

  async function saveWeight(bearer) {
    const value = weight.valueAsNumber;
    if (!(value >= 0 && value <= 1)) throw invalid(TEXT.weightInvalid, weight);
    await configure(bearer, { unverifiedWeight: value });
    return TEXT.weightDone(value);
  }

  async function countInvites(bearer) {
    const listed = await requestJson('GET', `${path}/invites`, { key: bearer });
    setText(summary, TEXT.summary(listed.count, listed.used));
    const pages = Math.ceil(listed.count / SHEET_PAGE);
    pageField.hidden = pages < 2;
    page.max = Math.max(1, pages);
    setText(pageLabel, TEXT.sheetPage(pages));
    return '';
  }

  async function createInvites(bearer) {
    const n = count.valueAsNumber;
    if (!Number.isInteger(n) || n < 1 || n > MAX_INVITES) throw invalid(TEXT.countInvalid, count);
    await requestJson('POST', `${path}/invites`, { key: bearer, body: { count: n } });
    await countInvites(bearer);
    return TEXT.created(n);
  }

  async function downloadCsv(bearer) {
    const name = `${slug}-invitations.csv`;
    saveBlob(await (await request('GET', `${path}/invites?format=csv`, { key: bearer })).blob(), name);
    return TEXT.csvDone(name);
  }

  async function openSheet(bearer) {
    const tab = tabForPage(TEXT.sheetWaiting); // now, while the click still counts
    const number = Math.max(1, Math.min(Number(page.max), page.valueAsNumber || 1));
    try {
      const sheet = await request('GET', `${path}/invites?format=html&page=${number}`, { key: bearer });
      // Its page links ask the server again without the key: this panel's page field does that.
      return tab.show(await sheet.text(), 'nav') ? TEXT.sheetOpened : TEXT.sheetBlocked;
    } catch (e) {
      tab.abandon();
      throw e;
    }
  }

  /** What the page keeps may be old (a moderator can change settings too): asks the server. */
  async function refresh() {
    const bearer = key();
    if (!bearer) return setText(summary, '');
    try {
      keep(await requestJson('GET', path, { key: bearer }));
      await countInvites(bearer);
    } catch (e) {
      fail(TEXT.failed(e.message), null);
    }
  }

  show();
  refresh();
  return panel;
}

/** A mistake in what was typed, with the field to correct (RangeError: not worth a request). */
function invalid(message, field) {
  return Object.assign(new RangeError(message), { field });
}
