// "Why is this post here?" for staff (speaker dashboard and moderator console): one tap on a post's
// button asks GET /api/rooms/{slug}/posts/{id}/why and explains the score's ingredients in words
// and numbers, in a modal dialog that Escape closes and that gives focus back to the button.

import { requestJson } from './api.js';
import { h, setText, signed } from './render.js';

// Page text of this module, kept together for the translations to come.
const TEXT = Object.freeze({
  button: 'Why here?',
  // The visible words start the accessible name (WCAG 2.5.3), then the post it explains.
  buttonLabel: (about) => `Why here? ${about}`,
  title: 'Why is this post here?',
  close: 'Close',
  loading: 'Asking the server…',
  failed: (message) => `No answer: ${message}`,
  gone: 'This post no longer exists.',
  headline: (score, split) => `Score ${score} · split ${split}`,
  noRatings: 'Nobody has rated it yet: its score is where the author\'s standing starts it.',
  ratings: (ratings, networks) => `${count(ratings, 'rating', 'ratings')} from ${count(networks, 'network', 'networks')}.`,
  heldPart: (raters, networks) => `${raters} of them come from ${networks === 1 ? 'one network' : `${networks} networks`} `
    + 'whose ratings are held back until a moderator decides, because '
    + `${networks === 1 ? 'it' : 'each'} rated this post very differently from the rest of the room.`,
  keptOutPart: (raters, networks) => `${raters} of them come from ${networks === 1 ? 'one network' : `${networks} networks`} `
    + 'that a moderator kept out: they do not count.',
  cappedPart: (raters, networks) => `${raters} of them come from ${networks === 1 ? 'one network' : `${networks} networks`} `
    + `with so many raters that ${networks === 1 ? 'its' : 'their'} weight is capped: one network cannot outvote the room.`,
  weightSame: (weight) => `Together they weigh as much as ${weight} newcomers' ratings.`,
  weightLess: (weight, raw) => `Together they weigh as much as ${weight} newcomers' ratings after caps and holds `
    + `(${raw} before).`,
  whoTitle: 'Who rated it',
  newcomers: 'Newcomers (no karma yet, each weighs 1)',
  established: 'Established (good karma, weigh more)',
  doubted: 'Doubted (poor karma, weigh less)',
  share: (ratings, weight) => `${count(ratings, 'rating', 'ratings')}, weight ${weight}`,
  // The prior is fixed when the post is written: it speaks of the author's karma then, not now.
  prior: (prior, weight) => (Number(prior) === 0
    ? `Its author had no karma here when posting, so the post started at 0.00, which counts like ${weight} ratings.`
    : `Its author's karma when posting started the post at ${signed(prior)}, which counts like ${weight} ratings.`),
  without: (score, split) => `Without the held or capped networks it would score ${score} with a split of ${split}.`,
  networksTitle: 'Networks the rule looked at',
  networkHead: 'Network',
  ratersHead: 'Raters',
  countsHead: 'Weight counted',
  stateHead: 'State',
  counts: (counted, weight) => (counted === weight ? weight : `${counted} of ${weight}`),
  family: { ipv4: 'IPv4', ipv6: 'IPv6', unknown: 'not an IP address' },
  state: {
    held: 'held back',
    partly: (hold) => `partly held (counts ${Math.round(hold * 100)} %)`,
    capped: 'capped',
    released: 'released by a moderator',
    confirmed: 'kept out by a moderator',
    venue: 'venue network',
    counted: 'counted',
  },
});

function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** A weight in newcomers, without trailing zeros: "12", "12.5", "0.25". */
function weight(value) {
  return String(Number((Number(value) || 0).toFixed(2)));
}

function percent(divergence) {
  return `${Math.round((Number(divergence) || 0) * 100)}%`;
}

/** A post's "Why here?" button; the page's click handler calls WhyDialog.open for it. */
export function whyButton() {
  return h('button', { type: 'button', class: 'why', 'data-action': 'why', text: TEXT.button });
}

/** Names the post on its button, so a screen reader user knows which post it explains. */
export function labelWhyButton(button, about) {
  const label = TEXT.buttonLabel(about);
  if (button.getAttribute('aria-label') !== label) button.setAttribute('aria-label', label);
}

/** In words: the state of one network the rule capped, held or a moderator decided about. */
function networkState(network) {
  const parts = [];
  if (network.decision === 'released') parts.push(TEXT.state.released);
  else if (network.decision === 'confirmed') parts.push(TEXT.state.confirmed);
  else if (network.hold <= 0) parts.push(TEXT.state.held);
  else if (network.hold < 1) parts.push(TEXT.state.partly(network.hold));
  if (network.capped) parts.push(TEXT.state.capped);
  if (network.venue) parts.push(TEXT.state.venue);
  return parts.length ? parts.join(', ') : TEXT.state.counted;
}

/** Sums raters and networks over the special networks that `test` picks. */
function tally(special, test) {
  const picked = special.filter(test);
  return { raters: picked.reduce((sum, n) => sum + n.raters, 0), networks: picked.length };
}

/** The explanation, as elements (every number from the server; nothing here is user text but the post). */
function explain(why) {
  const nodes = [h('p', { class: 'why-headline', text: TEXT.headline(signed(why.score), percent(why.divergence)) })];
  const special = why.special || [];
  if (!why.ratings) {
    nodes.push(h('p', { text: TEXT.noRatings }));
  } else {
    nodes.push(h('p', { text: TEXT.ratings(why.ratings, why.networks) }));
    const held = tally(special, (n) => n.hold < 1 && n.decision !== 'confirmed');
    if (held.networks) nodes.push(h('p', { class: 'why-held', text: TEXT.heldPart(held.raters, held.networks) }));
    const keptOut = tally(special, (n) => n.decision === 'confirmed');
    if (keptOut.networks) nodes.push(h('p', { text: TEXT.keptOutPart(keptOut.raters, keptOut.networks) }));
    const capped = tally(special, (n) => n.capped && n.hold >= 1);
    if (capped.networks) nodes.push(h('p', { text: TEXT.cappedPart(capped.raters, capped.networks) }));
    nodes.push(h('p', {
      text: weight(why.weight) === weight(why.rawWeight) ? TEXT.weightSame(weight(why.weight))
        : TEXT.weightLess(weight(why.weight), weight(why.rawWeight)),
    }));
    const row = (label, share) => [h('dt', { text: label }), h('dd', { text: TEXT.share(share.ratings, weight(share.weight)) })];
    nodes.push(h('h3', { text: TEXT.whoTitle }),
      h('dl', { class: 'why-who' },
        row(TEXT.newcomers, why.newcomers), row(TEXT.established, why.established), row(TEXT.doubted, why.doubted)));
  }
  nodes.push(h('p', { text: TEXT.prior(why.prior, weight(why.priorWeight)) }));
  if (special.length) {
    nodes.push(h('p', { class: 'why-without', text: TEXT.without(signed(why.scoreWithoutHeldOrCapped), percent(why.divergenceWithoutHeldOrCapped)) }));
    nodes.push(h('table', { class: 'why-networks' },
      h('caption', { text: TEXT.networksTitle }),
      h('thead', {}, h('tr', {},
        [TEXT.networkHead, TEXT.ratersHead, TEXT.countsHead, TEXT.stateHead].map((text) => h('th', { scope: 'col', text })))),
      h('tbody', {}, special.map((n) => h('tr', {},
        h('th', { scope: 'row' }, h('span', { class: 'label', text: n.network }), ' ', h('span', { class: 'hint', text: TEXT.family[n.family] || n.family })),
        h('td', { text: n.raters }),
        h('td', { text: TEXT.counts(weight(n.counted), weight(n.weight)) }),
        h('td', { text: networkState(n) }))))));
  }
  return nodes;
}

/** The dialog, built once per page; `open` explains one post. */
export class WhyDialog {
  /** @param {{slug: string, key: string}} options the room and the staff key for the Authorization header */
  constructor({ slug, key }) {
    this.slug = slug;
    this.key = key;
    this.asked = 0; // a late answer for a post asked about before must not replace the current one
    this.status = h('p', { class: 'why-status', role: 'status' });
    this.quote = h('blockquote', { class: 'why-post' });
    this.content = h('div', { class: 'why-content' });
    this.closeButton = h('button', { type: 'submit', value: 'close', text: TEXT.close });
    // Close sits at the top: it gets the focus on opening, and a long explanation must not scroll
    // away from the start to reach it. Escape closes too (a modal dialog's cancel).
    this.dialog = h('dialog', { class: 'why-dialog', 'aria-labelledby': 'why-title' },
      h('form', { method: 'dialog', class: 'why-head' }, h('h2', { id: 'why-title', text: TEXT.title }), this.closeButton),
      this.quote, this.status, this.content);
    document.body.append(this.dialog);
    this.dialog.addEventListener('close', () => {
      if (this.returnTo && this.returnTo.isConnected) this.returnTo.focus();
      this.returnTo = null;
    });
  }

  /** Opens the dialog for `post` (a Post object) and fills it when the server answers. */
  async open(post) {
    const asked = ++this.asked;
    this.returnTo = document.activeElement;
    setText(this.quote, post.text);
    setText(this.status, TEXT.loading);
    this.content.replaceChildren();
    if (!this.dialog.open) this.dialog.showModal();
    this.closeButton.focus();
    try {
      const why = await requestJson('GET',
        `/api/rooms/${encodeURIComponent(this.slug)}/posts/${encodeURIComponent(post.id)}/why`, { key: this.key });
      if (asked !== this.asked) return;
      setText(this.status, '');
      this.content.replaceChildren(...explain(why));
    } catch (error) {
      if (asked !== this.asked) return;
      setText(this.status, error.status === 404 ? TEXT.gone : TEXT.failed(error.message));
    }
  }
}
