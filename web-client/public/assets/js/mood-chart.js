// The mood over time: successive pulse values drawn as an SVG polyline. Dashboard frames only come
// when something changed, so the last value is also carried forward on a timer to keep time moving.

const WINDOW_MS = 10 * 60 * 1000;
const MIN_SPAN_MS = 60 * 1000;
const SAMPLE_EVERY_MS = 5_000;
const WIDTH = 300;
const HEIGHT = 60;

/** A live mood chart on an SVG that holds a `polyline.mood-line`; call `add(mood)` per pulse. */
export class MoodChart {
  constructor(svg) {
    this.line = svg.querySelector('.mood-line');
    this.samples = [];
    this.current = null;
    setInterval(() => {
      if (this.current !== null) this.#record(this.current);
    }, SAMPLE_EVERY_MS);
  }

  add(mood) {
    this.current = Math.max(-5, Math.min(5, Number(mood) || 0));
    this.#record(this.current);
  }

  #record(mood) {
    const now = Date.now();
    const last = this.samples[this.samples.length - 1];
    // Many frames a second would add nothing visible: replace the newest sample instead.
    if (last && now - last.t < 1000) last.mood = mood;
    else this.samples.push({ t: now, mood });
    while (this.samples.length && this.samples[0].t < now - WINDOW_MS) this.samples.shift();
    this.#draw(now);
  }

  #draw(now) {
    // The time axis grows with the session, from one minute up to ten, so early on the line is not
    // squeezed against the right edge.
    const span = Math.max(MIN_SPAN_MS, Math.min(WINDOW_MS, now - this.samples[0].t));
    const start = now - span;
    const points = this.samples.map(({ t, mood }) => {
      const x = ((t - start) / span) * WIDTH;
      const y = HEIGHT / 2 - (mood / 5) * (HEIGHT / 2 - 2);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    });
    // One sample is a point; draw it as a short flat line so it shows.
    if (points.length === 1) points.unshift(`${(WIDTH - 4).toFixed(1)},${points[0].split(',')[1]}`);
    this.line.setAttribute('points', points.join(' '));
  }
}
