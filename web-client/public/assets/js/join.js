// The audience page's join panel: the form for the room's access mode (PROTOCOL.md v2, access).
// An open room asks only for an optional nickname; a `code` room also for the room's code; an
// `invite` room for a personal invitation (unless the invitation came with the link); a `signin`
// room sends the person to the organization's sign-in, which brings them back with a token.

import { ApiError, requestJson } from './api.js';
import { setText } from './render.js';

// Page text of this module, kept together for the translations to come.
const TEXT = Object.freeze({
  access: {
    open: '',
    code: 'Only people at the event can join: type the code the organizer shows on a slide or at the door.',
    invite: 'This room is by invitation: type the personal invitation you received, on paper or by mail.',
    signin: 'This room is for people who sign in with the organization\'s account. '
      + 'Once signed in, you come back here.',
  },
  invited: 'You have a personal invitation to this room. Choose a nickname if you like, then join. '
    + 'If you already joined with it on another device, you will be the same person here, with the same nickname.',
  nickHint: {
    signin: '(optional: otherwise the name of your account)',
    other: '(optional: leave empty to stay anonymous)',
  },
  codeMissing: 'Type the room\'s code first.',
  codeWrong: 'That is not this room\'s code.',
  codeTooMany: 'Too many wrong codes from your network. Wait a minute and try again.',
  inviteMissing: 'Type your invitation first.',
  inviteWrong: 'This invitation does not open this room. Check it against the one you received and type it here.',
  inviteTooMany: 'Too many wrong invitations from your network. Wait a minute and try again.',
  changed: {
    open: 'The organizer has just opened this room to everyone: join again.',
    code: 'The organizer has just changed who may join: this room now asks for its code.',
    invite: 'The organizer has just changed who may join: this room is now by invitation.',
    signin: 'The organizer has just changed who may join: this room now asks you to sign in.',
  },
});

const $ = (id) => document.getElementById(id);

/**
 * The join panel of room.html. `onJoined(identity)` gets `{token, id, nick}` once the server let
 * the person in; `describeRoom()` returns the room as the server describes it now (after a refusal
 * that may mean the organizer changed who may join).
 */
export class JoinPanel {
  constructor({ slug, onJoined, describeRoom }) {
    this.slug = slug;
    this.onJoined = onJoined;
    this.describeRoom = describeRoom;
    this.access = 'open';
    this.invite = null; // an invitation that came with the link: it needs no typing
    $('join-form').addEventListener('submit', (event) => this.#submit(event));
    $('nick').addEventListener('input', () => this.#updateSigninLink());
  }

  /**
   * Shows the form for `access`. `invite`: an invitation from the link, used without asking for
   * it. `message`: why the form is shown (again), announced as an alert.
   */
  show(access, { invite = null, message = '' } = {}) {
    this.access = TEXT.access[access] === undefined ? 'open' : access;
    this.invite = this.access === 'invite' ? invite : null;
    const typesInvite = this.access === 'invite' && !this.invite;
    $('join').hidden = false;
    setText($('join-access'), this.invite ? TEXT.invited : TEXT.access[this.access]);
    $('join-access').hidden = this.access === 'open';
    $('code-field').hidden = this.access !== 'code';
    $('invite-field').hidden = !typesInvite;
    setText($('nick-hint'), this.access === 'signin' ? TEXT.nickHint.signin : TEXT.nickHint.other);
    $('join-submit').hidden = this.access === 'signin';
    $('signin-link').hidden = this.access !== 'signin';
    this.#updateSigninLink();
    this.#fail(message, null);
  }

  hide() {
    $('join').hidden = true;
  }

  /** Shows a refusal (or nothing), marking `field` as the one to correct and moving focus there. */
  #fail(message, field) {
    const error = $('join-error');
    // Said right under what needs correcting: on a phone, the keyboard would hide it further down.
    const anchor = field ? field.closest('.proof') || field : $('signin-link');
    if (anchor.nextElementSibling !== error) anchor.after(error);
    setText(error, message);
    error.hidden = !message;
    for (const input of $('join-form').querySelectorAll('input')) input.removeAttribute('aria-invalid');
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
      field.select();
    }
  }

  /** The sign-in link carries the nickname typed so far; the server keeps it through the sign-in. */
  #updateSigninLink() {
    const nick = $('nick').value.trim();
    const path = `/api/rooms/${encodeURIComponent(this.slug)}/signin`;
    $('signin-link').href = nick ? `${path}?${new URLSearchParams({ nick })}` : path;
  }

  async #submit(event) {
    event.preventDefault();
    if (this.access === 'signin') {
      // A link, not a form submission: the CSP's form-action 'self' would stop the redirect to the
      // provider, and Enter in the nickname field should do what the link does.
      location.assign($('signin-link').href);
      return;
    }
    const body = {};
    const nick = $('nick').value.trim();
    if (nick) body.nick = nick;
    if (this.access === 'code') {
      body.code = $('code').value.trim();
      if (!body.code) return this.#fail(TEXT.codeMissing, $('code'));
    } else if (this.access === 'invite') {
      body.invite = this.invite || $('invite').value.trim();
      if (!body.invite) return this.#fail(TEXT.inviteMissing, $('invite'));
    }
    const button = $('join-submit');
    button.disabled = true;
    try {
      const joined = await requestJson('POST', `/api/rooms/${encodeURIComponent(this.slug)}/participants`, { body });
      this.invite = null;
      this.#fail('', null);
      this.onJoined({ token: joined.token, id: joined.participant.id, nick: joined.participant.nick });
    } catch (error) {
      await this.#refused(error, body.invite);
    } finally {
      button.disabled = false;
    }
  }

  async #refused(error, invite) {
    if (!(error instanceof ApiError)) return this.#fail(error.message, null);
    if (error.code === 'forbidden') {
      // Refused although the form asked for what the room needed: maybe it no longer needs that.
      const room = await this.describeRoom().catch(() => null);
      if (room && room.access !== this.access) {
        this.show(room.access, { invite, message: TEXT.changed[room.access] || error.message });
        const first = $('join-form').querySelector('.proof:not([hidden]) input') || $('nick');
        return first.focus();
      }
    }
    if (this.access === 'code' && (error.code === 'forbidden' || error.code === 'rate_limited')) {
      return this.#fail(error.code === 'forbidden' ? TEXT.codeWrong : TEXT.codeTooMany, $('code'));
    }
    if (this.access === 'invite' && (error.code === 'forbidden' || error.code === 'rate_limited')) {
      // Show the invitation, even one that came with the link, so it can be checked and corrected.
      this.invite = null;
      $('invite-field').hidden = false;
      setText($('join-access'), TEXT.access.invite);
      if (invite) $('invite').value = invite;
      return this.#fail(error.code === 'forbidden' ? TEXT.inviteWrong : TEXT.inviteTooMany, $('invite'));
    }
    return this.#fail(error.message, error.code === 'invalid' ? $('nick') : null);
  }
}
