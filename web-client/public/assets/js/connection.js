// One WebSocket to /ws, shared by the audience page, the dashboard and the moderator console.
//
// - Reconnects on its own with exponential backoff and full jitter (a room full of phones that lost
//   the Wi-Fi at once must not come back at once), and resumes with `since` = the last seq seen.
// - Commands are queued (bounded), kept in localStorage so a reload or a dead battery loses nothing,
//   and re-sent with the same `cid` after every welcome until acknowledged: the server applies a
//   cid once, so a retry never posts twice.
// - A ping every 20 s, and a socket that then stays silent for 10 s is dropped: a half-open
//   connection on poor Wi-Fi would otherwise look "online" forever.

import { load, save } from './storage.js';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const MIN_DELAY_MS = 250;
const PING_EVERY_MS = 20_000;
const SILENCE_LIMIT_MS = 10_000;
const WELCOME_LIMIT_MS = 15_000;
// Refusals that say "not now" rather than "never": the command stays queued and is retried.
const RETRY_LATER_MS = { rate_limited: 5_000, unavailable: 1_000 };
// Close codes after which reconnecting cannot help (PROTOCOL.md "Close codes").
const FATAL_CODES = new Set([4401, 4403, 4404]);

/** A fresh client id for a command (1-64 characters); crypto.randomUUID needs a secure context. */
function newCid() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return 'c' + Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}

/** Commands that a later one of the same key replaces while still unsent: the latest rating wins. */
function coalesceKey(command) {
  return command.type === 'rate' || command.type === 'mark' ? `${command.type}:${command.post}` : null;
}

/**
 * A room connection. Events (CustomEvent, payload in `detail`): `status`, `welcome`, `posts`,
 * `presence`, `room`, `dashboard`, `ack` and `refused` (both with the queued `command`), `notice`
 * (an error without cid) and `fatal` (a close code after which it stops).
 */
export class Connection extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.room the room slug
   * @param {() => object} options.credentials `{token}` or `{key}` for the hello, asked on each connect
   * @param {string} options.queueKey localStorage key of the unsent commands
   * @param {number} [options.maxQueue] how many unsent commands may wait
   */
  constructor({ room, credentials, queueKey, maxQueue = 50 }) {
    super();
    this.room = room;
    this.credentials = credentials;
    this.queueKey = queueKey;
    this.maxQueue = maxQueue;
    this.queue = load(localStorage, queueKey, []);
    if (!Array.isArray(this.queue)) this.queue = [];
    this.seq = null;
    this.state = 'idle';
    this.retryAt = null;
    this.closeCode = null;
    this.attempt = 0;
    this.socket = null;
    this.lastHeard = 0;
    this.retries = new Map();
    this.timers = {};
    window.addEventListener('online', () => this.#wake());
    // The device says the network is gone: the socket is dead or soon will be, so say so at once
    // instead of waiting for TCP to notice. The 'online' event brings it back without delay.
    window.addEventListener('offline', () => {
      if (this.socket) this.#drop();
      else this.#emitStatus();
    });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.#wake();
    });
  }

  /** Opens the socket (again, after a fatal close the page has dealt with). */
  start() {
    this.attempt = 0;
    this.#open();
  }

  /** How many commands wait for their ack. */
  get queued() {
    return this.queue.length;
  }

  /** Unsent commands of one type, oldest first. */
  pending(type) {
    return this.queue.filter((c) => c.type === type);
  }

  /**
   * Queues a command and sends it now when online. Returns its cid, or null when the queue is full
   * (the caller keeps what the user typed and says so).
   */
  send(command) {
    const key = coalesceKey(command);
    if (key) this.queue = this.queue.filter((c) => coalesceKey(c) !== key);
    if (this.queue.length >= this.maxQueue) return null;
    const entry = { ...command, cid: newCid() };
    this.queue.push(entry);
    this.#persist();
    if (this.state === 'online') this.#transmit(entry);
    this.#emitStatus();
    return entry.cid;
  }

  /** Forgets every unsent command (e.g. when the identity that queued them is gone). */
  clearQueue(type) {
    this.queue = type ? this.queue.filter((c) => c.type !== type) : [];
    this.#persist();
    this.#emitStatus();
  }

  #open() {
    this.#clearTimers();
    this.retryAt = null;
    let socket;
    try {
      socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.#setState(this.attempt === 0 && this.seq === null ? 'connecting' : 'reconnecting');
    socket.onopen = () => {
      const hello = { type: 'hello', room: this.room, ...this.credentials() };
      if (this.seq !== null) hello.since = this.seq;
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => {
      if (socket === this.socket) this.#closed(event.code);
    };
    this.timers.welcome = setTimeout(() => this.#drop(), WELCOME_LIMIT_MS);
  }

  #receive(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    this.lastHeard = Date.now();
    switch (msg.type) {
      case 'welcome':
        clearTimeout(this.timers.welcome);
        this.attempt = 0;
        this.seq = msg.seq;
        this.closeCode = null;
        this.#setState('online');
        this.#emit('welcome', msg);
        this.queue.forEach((entry) => this.#transmit(entry));
        this.timers.ping = setInterval(() => this.#ping(), PING_EVERY_MS);
        break;
      case 'posts':
        // Only `posts` frames carry the seq a resume needs; a dashboard's seq may run ahead of them.
        if (typeof msg.seq === 'number' && (this.seq === null || msg.seq > this.seq)) this.seq = msg.seq;
        this.#emit('posts', msg);
        break;
      case 'ack':
        this.#emit('ack', { ...msg, command: this.#take(msg.cid) });
        break;
      case 'error':
        if (msg.cid) this.#refused(msg);
        else this.#emit('notice', msg);
        break;
      case 'pong':
        break;
      default:
        this.#emit(msg.type, msg);
    }
  }

  #refused(msg) {
    const entry = this.queue.find((c) => c.cid === msg.cid);
    if (!entry) return; // superseded by a newer command of the same key
    const base = RETRY_LATER_MS[msg.code];
    if (base) {
      const tries = (this.retries.get(entry.cid) ?? 0) + 1;
      this.retries.set(entry.cid, tries);
      const delay = Math.min(MAX_DELAY_MS, base * 2 ** Math.min(tries - 1, 5)) * (0.5 + Math.random());
      setTimeout(() => {
        if (this.state === 'online' && this.queue.includes(entry)) this.#transmit(entry);
      }, delay);
      this.#emit('retrying', { ...msg, command: entry });
      return;
    }
    this.#take(msg.cid);
    this.#emit('refused', { ...msg, command: entry });
  }

  #take(cid) {
    const entry = this.queue.find((c) => c.cid === cid) ?? null;
    if (entry) {
      this.queue = this.queue.filter((c) => c !== entry);
      this.retries.delete(cid);
      this.#persist();
      this.#emitStatus();
    }
    return entry;
  }

  #transmit(entry) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(entry));
  }

  #ping() {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    const sentAt = Date.now();
    this.socket.send('{"type":"ping"}');
    clearTimeout(this.timers.silence);
    this.timers.silence = setTimeout(() => {
      if (this.lastHeard < sentAt) this.#drop();
    }, SILENCE_LIMIT_MS);
  }

  /** Gives up on a socket that went silent, without waiting for a close handshake that may never come. */
  #drop() {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.onclose = socket.onmessage = socket.onopen = null;
    try {
      socket.close();
    } catch {
      // already closing
    }
    this.#scheduleReconnect();
  }

  #closed(code) {
    this.socket = null;
    this.#clearTimers();
    this.closeCode = code;
    if (FATAL_CODES.has(code)) {
      this.#setState('stopped');
      this.#emit('fatal', { code });
      return;
    }
    // 1001 means a server is going away on purpose: another node (or the restarted one) will answer
    // soon, so the first retry comes quickly; jitter still spreads the room out.
    if (code === 1001) this.attempt = Math.min(this.attempt, 1);
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    this.#clearTimers();
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(this.attempt, 10));
    const delay = Math.max(MIN_DELAY_MS, Math.random() * ceiling);
    this.attempt += 1;
    this.retryAt = Date.now() + delay;
    this.timers.retry = setTimeout(() => this.#open(), delay);
    this.#setState('reconnecting');
  }

  /** Network back or tab visible again: retry now instead of sleeping out the backoff; check a live socket. */
  #wake() {
    if (this.state === 'reconnecting' && !this.socket) this.#open();
    else if (this.state === 'online') this.#ping();
  }

  #clearTimers() {
    clearTimeout(this.timers.retry);
    clearTimeout(this.timers.welcome);
    clearTimeout(this.timers.silence);
    clearInterval(this.timers.ping);
    this.timers = {};
  }

  #persist() {
    save(localStorage, this.queueKey, this.queue.length ? this.queue : null);
  }

  #setState(state) {
    this.state = state;
    this.#emitStatus();
  }

  #emitStatus() {
    this.#emit('status', {
      state: this.state,
      retryAt: this.retryAt,
      queued: this.queue.length,
      network: navigator.onLine,
      closeCode: this.closeCode,
    });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
