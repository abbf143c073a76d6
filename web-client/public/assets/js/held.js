// The moderator console's "Held ratings" panel: the (post, network) pairs of the v2 network rule
// that `held` frames list (the whole list each time, most held first), each with the figures a
// moderator decides on and one-tap decisions. The console sends the decisions; this module only
// shows the list and says which button was pressed.

import { h, setAttr, setText, signed, syncList } from './render.js';

// Page text of this module, kept together for the translations to come.
const TEXT = Object.freeze({
  count: (n) => (n ? `${n} to look at` : ''),
  network: (label, family) => `Network ${label} (${family})`,
  family: { ipv4: 'IPv4', ipv6: 'IPv6', unknown: 'not an IP address' },
  postMissing: '(a post this page has not loaded)',
  venue: 'Venue network',
  state: {
    held: 'Held back: does not count',
    partly: (hold) => `Partly held: counts ${Math.round(hold * 100)} %`,
    watched: 'Watched: counts in full',
    released: 'Released: counts in full',
    confirmed: 'Confirmed: kept out',
    empty: 'No ratings left',
  },
  noneLeft: (decision) => 'None of its ratings of this post are left (its raters were banned or took them back).'
    + (decision ? ` The decision (${decision}) stays in force for new ones.` : ''),
  raters: 'Raters from this network',
  mean: 'Their mean rating',
  meanValue: (mean, reference) => (reference == null
    ? `${signed(mean)} (no other ratings to compare with)`
    : `${signed(mean)}, the rest of the room ${signed(reference)}`),
  z: 'How unusual (z)',
  zValue: (z) => `${Number(z).toFixed(1)}: the higher, the less likely by chance`,
  span: 'Joined the room',
  spanValue: (seconds) => `within ${duration(seconds)} of each other`,
  others: 'Rated other posts',
  othersValue: (others, raters) => `${others} of ${raters}`,
  score: "Post's score",
  scoreValue: (now, without) => `${signed(now)} now, ${signed(without)} without this network`,
  decision: 'Decision',
  decisionValue: { none: 'none yet', released: 'released', confirmed: 'confirmed' },
  buttons: { release: 'Release', confirm: 'Confirm', venue: 'Venue', ban: 'Ban network…' },
  labels: {
    release: (net, about) => `Release: count the ratings of network ${net} on “${about}” in full`,
    confirm: (net, about) => `Confirm: keep the ratings of network ${net} on “${about}” out`,
    venue: (net) => `Venue: network ${net} is the venue's own`,
    ban: (net) => `Ban network ${net}: everyone who joined from it`,
  },
});

/** "4 s", "3 min", "1.5 h": how close together the raters joined (a burst of sign-ups is a tell). */
function duration(seconds) {
  const s = Math.max(0, Number(seconds) || 0);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  return `${Number((s / 3600).toFixed(1))} h`;
}

function excerpt(text, length) {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function stateOf(pair) {
  if (pair.raters === 0) return ['empty', TEXT.state.empty];
  if (pair.decision === 'released') return ['released', TEXT.state.released];
  if (pair.decision === 'confirmed') return ['confirmed', TEXT.state.confirmed];
  if (pair.hold <= 0) return ['held', TEXT.state.held];
  if (pair.hold < 1) return ['partly', TEXT.state.partly(pair.hold)];
  return ['watched', TEXT.state.watched];
}

function fact(name, label) {
  return h('div', {}, h('dt', { text: label }), h('dd', { class: name }));
}

function createCard() {
  return h('li', { class: 'hcard' },
    h('p', { class: 'hmeta' },
      h('span', { class: 'badge hstate' }), ' ',
      h('span', { class: 'badge hvenue', hidden: true, text: TEXT.venue }), ' ',
      h('span', { class: 'hnet' })),
    h('p', { class: 'htext' }),
    h('p', { class: 'hnone', hidden: true }),
    h('dl', { class: 'hfacts' },
      fact('raters', TEXT.raters), fact('mean', TEXT.mean), fact('z', TEXT.z), fact('span', TEXT.span),
      fact('others', TEXT.others), fact('score', TEXT.score), fact('decision', TEXT.decision)),
    h('div', { class: 'tool-row' },
      ...['release', 'confirm', 'venue', 'ban'].map((decision) => h('button', {
        type: 'button', 'data-decision': decision, class: decision === 'ban' ? 'danger' : null, text: TEXT.buttons[decision],
      }))));
}

/** Lists the held pairs and hands a pressed decision to `onDecide(pair, decision)`. */
export class HeldPanel {
  /**
   * @param {object} options
   * @param {HTMLElement} options.list the <ol> of pairs
   * @param {HTMLElement} options.empty shown when nothing is held
   * @param {HTMLElement} options.count the count next to the heading
   * @param {(id: string) => object|undefined} options.postOf the Post of an id, for its text
   * @param {(pair: object, decision: string) => void} options.onDecide
   */
  constructor({ list, empty, count, postOf, onDecide }) {
    Object.assign(this, { list, empty, count, postOf });
    this.pairs = [];
    list.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-decision]');
      if (!button) return;
      const pair = this.pairs.find((p) => p.id === button.closest('.hcard').dataset.key);
      if (pair) onDecide(pair, button.dataset.decision);
    });
  }

  /** Takes a `held` frame's `networks` as the new list; `render` shows it. */
  update(networks) {
    this.pairs = networks.map((pair) => ({ ...pair, id: `${pair.post} ${pair.network}` }));
  }

  /** The posts some of whose ratings count less than in full now. */
  heldPosts() {
    return new Set(this.pairs.filter((p) => p.hold < 1 && p.raters > 0).map((p) => p.post));
  }

  /** Draws the list again (also when a post's text arrives after its pair). */
  render() {
    syncList(this.list, this.pairs, createCard, (node, pair) => this.#updateCard(node, pair));
    // A pair whose network has no ratings of the post left (say, after a ban) needs no look.
    const live = this.pairs.filter((p) => p.raters > 0).length;
    this.empty.hidden = live > 0;
    setText(this.count, TEXT.count(live));
  }

  #updateCard(node, pair) {
    const q = (selector) => node.querySelector(selector);
    const post = this.postOf(pair.post);
    const [state, stateText] = stateOf(pair);
    setAttr(node, 'data-state', state);
    setText(q('.hstate'), stateText);
    q('.hvenue').hidden = !pair.venue;
    setText(q('.hnet'), TEXT.network(pair.network, TEXT.family[pair.family] || pair.family));
    setText(q('.htext'), post ? excerpt(post.text, 200) : TEXT.postMissing);
    const none = pair.raters === 0;
    q('.hfacts').hidden = none;
    q('.hnone').hidden = !none;
    setText(q('.hnone'), none ? TEXT.noneLeft(TEXT.decisionValue[pair.decision]) : '');
    setText(q('.raters'), pair.raters);
    setText(q('.mean'), TEXT.meanValue(pair.mean, pair.referenceMean));
    setText(q('.z'), TEXT.zValue(pair.z));
    setText(q('.span'), TEXT.spanValue(pair.joinSpanSeconds));
    setText(q('.others'), TEXT.othersValue(pair.ratedOtherPosts, pair.raters));
    setText(q('.score'), TEXT.scoreValue(pair.scoreWith, pair.scoreWithout));
    setText(q('.decision'), TEXT.decisionValue[pair.decision ?? 'none'] || pair.decision);
    const about = post ? excerpt(post.text, 60) : pair.post;
    for (const button of node.querySelectorAll('button[data-decision]')) {
      const decision = button.dataset.decision;
      setAttr(button, 'aria-label', TEXT.labels[decision](pair.network, about));
      // The decision in force is not offered again.
      button.disabled = (decision === 'release' && pair.decision === 'released')
        || (decision === 'confirm' && pair.decision === 'confirmed')
        || (decision === 'venue' && pair.venue);
    }
  }
}
