// The landing page's live view: the depth control, the map and the headline figures in one component.
// While a thumb moves, nothing goes to the server: the band is the annuli whose depth lies between the
// thumbs (the pieces in view handed to deck.gl per frame, each tessellated once per slice) and the figures are read off the
// per-depth curves (dashboard/model/depth_curves.py, whose `figures` this mirrors). On release the depth
// pair is committed to Streamlit (setStateValue), which reruns the page: link, tables and downloads follow.
// If deck.gl's script cannot load, the component says so in one line and asks the page for today's map.

const VIEWS = new WeakMap();
const SCRIPTS = {};

function loadScript(url) {
  if (!SCRIPTS[url]) {
    SCRIPTS[url] = new Promise((resolve, reject) => {
      if (window.deck && window.deck.Deck) return resolve(window.deck);
      const tag = document.createElement("script");
      tag.src = url;
      tag.async = true;
      tag.onload = () => (window.deck && window.deck.Deck ? resolve(window.deck) : reject(new Error("no deck.gl")));
      tag.onerror = () => reject(new Error(`could not load ${url}`));
      document.head.appendChild(tag);
    });
  }
  return SCRIPTS[url];
}

const fetched = {};
function fetchJson(url) {
  if (!fetched[url]) {
    fetched[url] = fetch(url, { credentials: "same-origin" }).then((r) => {
      if (!r.ok) throw new Error(`${url}: ${r.status}`);
      return r.json();
    });
    fetched[url].catch(() => delete fetched[url]);
  }
  return fetched[url];
}

// ---- figures: the curves read as dashboard/model/depth_curves.figures reads them -------------------------
function figures(record, constant, inner, outer) {
  const grid = record.grid_km;
  const a = Math.round(inner / grid);
  const b = Math.round(outer / grid);
  const out = {};
  for (const [key, values] of Object.entries(record.zone)) out[key] = values[b];
  for (const [key, values] of Object.entries(record.nearer)) {
    out[key] = a > 0 ? record.zone[key][b] - values[a] : record.zone[key][b];
  }
  const at = (curve, km) => curve[Math.round(Math.max(km, 0) / grid)];
  const band = {};
  for (const [name, [key, shift]] of Object.entries(record.variants)) {
    // population.variants, read off the curves (depth_curves.figures)
    let value = at(record.people[key], outer + shift);
    if (inner > 0) {
      value -= at(record.people[key], inner + shift);
      for (const fix of record.people_fixes) {
        if (fix.curve === key) {
          const delta = at(fix.values, outer + shift) - at(fix.values, inner + shift);
          value += Math.max(delta, 0) - delta;
        }
      }
    }
    band[name] = value;
  }
  const spread = Object.values(band);
  out.population_in_band = band[record.central];
  out.population_in_band_low = Math.min(...spread);
  out.population_in_band_high = Math.max(...spread);
  return Object.assign(out, constant);
}

// ---- words: the units of dashboard/model/metrics.py ------------------------------------------------------
function grouped(text) {
  const [whole, fraction] = text.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = whole.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + digits + (fraction !== undefined ? `.${fraction}` : "");
}
const fixed = (v, places) => grouped(Number(v).toFixed(places));
const signedWhole = (v) => (v >= 0 || Object.is(v, 0) ? "+" : "") + fixed(v, 0);
const nearestThousand = (v) => Math.round(v / 1000) * 1000;

function peopleEstimate(people, signed) {
  const rounded = nearestThousand(people);
  if (rounded === 0) return signed ? "±0" : "< 500";
  return signed ? `≈${signedWhole(rounded)}` : `≈${fixed(rounded, 0)}`;
}

const UNITS = {
  "km²": { text: (v) => `${fixed(v, 0)} km²`, delta: (d) => `${signedWhole(d)} km²` },
  share: { text: (v) => `${(v * 100).toFixed(0)}%`, delta: (d) => `${signedWhole(d * 100)} pts` },
  people: { text: (v) => peopleEstimate(v, false), delta: (d) => peopleEstimate(d, true) },
  places: { text: (v) => Number(v).toFixed(0), delta: (d) => signedWhole(d) },
  posts: { text: (v) => Number(v).toFixed(0), delta: (d) => signedWhole(d) },
  towns: { text: (v) => Number(v).toFixed(0), delta: (d) => signedWhole(d) },
  events: { text: (v) => fixed(v, 0), delta: (d) => signedWhole(d) },
  deaths: { text: (v) => fixed(v, 0), delta: (d) => signedWhole(d) },
};

function lowConfidence(central, low, high, spread) {
  if (central <= 0) return high > 0;
  return high - central > spread * central || central - low > spread * central;
}

function peopleShort(v, millions) {
  return millions ? (v / 1e6).toFixed(2) : fixed(nearestThousand(v), 0);
}

function peopleWithRange(central, low, high, spread) {
  const millions = central >= 995000;
  const unit = millions ? " M" : "";
  let text = `≈ ${peopleShort(central, millions)}${unit}`;
  if (peopleShort(low, millions) !== peopleShort(high, millions)) {
    text += ` (range ${peopleShort(low, millions)}–${peopleShort(high, millions)}${unit})`;
  }
  return text + (lowConfidence(central, low, high, spread) ? ", low confidence" : "");
}

function deathsWithRange(best, low, high) {
  const text = fixed(best, 0);
  return low === high && high === best ? text : `${text} (UCDP low–high ${fixed(low, 0)}–${fixed(high, 0)})`;
}

function metricText(row, values) {
  // metrics.Metric.text: "12 of 18", or with its parts "12 of 18 inside; 9 manned, 1 possibly manned"
  const value = values[row.key];
  if (!row.of) return UNITS[row.unit].text(value);
  const count = `${fixed(value, 0)} of ${fixed(values[row.of], 0)}`;
  if (!row.parts || !row.parts.length) return count;
  const said = [];
  row.parts.forEach((name, i) => {
    const n = values[`${row.key}:${name}`];
    if (i === 0 || n) said.push(`${fixed(n, 0)} ${name}`);
  });
  return `${count} inside; ${said.join(", ")}`;
}

function aloud(row, values, spread) {
  if (!row.ranged) return metricText(row, values);
  const [v, lo, hi] = [values[row.key], values[`${row.key}_low`], values[`${row.key}_high`]];
  return row.unit === "deaths" ? deathsWithRange(v, lo, hi) : peopleWithRange(v, lo, hi, spread);
}

// ---- the map's layers: pydeck's JSON (render/maps.py) made deck.gl layers -------------------------------
function accessor(value) {
  if (typeof value !== "string" || !value.startsWith("@@=")) return value;
  const path = value.slice(3);
  if (/^'.*'$/.test(path)) return path.slice(1, -1);
  const keys = path.split(".");
  return (d) => keys.reduce((o, k) => (o == null ? o : o[k]), d);
}

function fromSpec(deck, spec) {
  const { "@@type": type, ...props } = spec;
  const made = {};
  for (const [k, v] of Object.entries(props)) made[k] = accessor(v);
  return new deck[type](made);
}

function unpack(flat, step) {
  const out = new Array(flat.length / 2);
  let x = 0;
  let y = 0;
  for (let i = 0; i < flat.length; i += 2) {
    x += flat[i];
    y += flat[i + 1];
    out[i / 2] = [x * step, y * step];
  }
  return out;
}


function unpackDrawing(drawing) {
  // the pieces by grid index (a piece at depth d spans d to d + grid), and each depth's edge lines
  const byIndex = [];
  for (const [d, rings] of drawing.pieces) {
    const i = Math.round(d / drawing.grid_km);
    (byIndex[i] = byIndex[i] || []).push({ d, polygon: rings.map((r) => unpack(r, drawing.piece_step)) });
  }
  for (let i = 0; i < byIndex.length; i++) byIndex[i] = byIndex[i] || [];
  const zonesAt = new Map();
  for (const [d, rings] of drawing.zones) {
    const i = Math.round(d / drawing.grid_km);
    if (!zonesAt.has(i)) zonesAt.set(i, []);
    zonesAt.get(i).push({ d, polygon: rings.map((r) => unpack(r, drawing.piece_step)) });
  }
  const edgesAt = new Map();
  for (const [d, line] of drawing.edges) {
    if (!edgesAt.has(d)) edgesAt.set(d, []);
    edgesAt.get(d).push({ d, path: unpack(line, drawing.edge_step) });
  }
  return { byIndex, zonesAt, edgesAt };
}


// ---- the zone and band: a 2D canvas between deck.gl's two --------------------------------------------------
// Each WebGL canvas is a context of its own that links its own shader programs before its first frame, ~0.17 s
// a program on software WebGL: the zone, band and edges were a third deck.gl canvas (two programs, a context).
// They are plain fills and two lines, drawn here with the 2D canvas from Web Mercator coordinates worked out once
// per piece: a frame of a drag fills a few paths. With the map turned or tilted each point is projected by
// deck.gl's viewport instead.
const MERCATOR = (lon, lat) => [
  (lon + 180) / 360,
  (1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2,
];

function mercatorRings(rings) {
  return rings.map((ring) => {
    const out = new Float64Array(ring.length * 2);
    ring.forEach(([lon, lat], i) => {
      const [x, y] = MERCATOR(lon, lat);
      out[2 * i] = x;
      out[2 * i + 1] = y;
    });
    return out;
  });
}

const rgba = (c) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${(c.length > 3 ? c[3] : 255) / 255})`;

class ZoneCanvas {
  constructor(parent, lib, resized) {
    this.lib = lib;
    this.observer = new ResizeObserver(resized); // deck.gl resizes its canvases; this one is drawn again
    this.observer.observe(parent);
    this.canvas = document.createElement("canvas");
    Object.assign(this.canvas.style, { position: "absolute", left: "0", top: "0", width: "100%", height: "100%" });
    this.canvas.style.pointerEvents = "none";
    parent.appendChild(this.canvas);
    this.ctx = this.canvas.getContext("2d");
    this.scale = 1;
    this.items = [];
    this.rings = new WeakMap(); // a piece's rings in Web Mercator units, worked out once
  }

  set(items) {
    this.items = items;
  }

  transform(viewState, width, height) {
    // screen = mercator × k + offset, exact for a map neither turned nor tilted (Web Mercator is linear there)
    const vp = new this.lib.WebMercatorViewport({ ...viewState, width, height });
    if ((viewState.pitch || 0) === 0 && (viewState.bearing || 0) === 0) {
      const [ax, ay] = vp.project([0, 0]);
      const [bx, by] = vp.project([90, 60]);
      const [mx0, my0] = MERCATOR(0, 0);
      const [mx1, my1] = MERCATOR(90, 60);
      const kx = (bx - ax) / (mx1 - mx0);
      const ky = (by - ay) / (my1 - my0);
      return { linear: [kx, ax - kx * mx0, ky, ay - ky * my0] };
    }
    return { vp };
  }

  trace(path, rings, where) {
    if (where.linear) {
      const [kx, bx, ky, by] = where.linear;
      for (const ring of rings) {
        path.moveTo(ring[0] * kx + bx, ring[1] * ky + by);
        for (let i = 2; i < ring.length; i += 2) path.lineTo(ring[i] * kx + bx, ring[i + 1] * ky + by);
      }
    } else {
      for (const ring of rings) {
        for (let i = 0; i < ring.length; i += 2) {
          const lon = ring[i] * 360 - 180;
          const lat = (360 / Math.PI) * Math.atan(Math.exp(Math.PI * (1 - 2 * ring[i + 1]))) - 90;
          const [x, y] = where.vp.project([lon, lat]);
          if (i === 0) path.moveTo(x, y);
          else path.lineTo(x, y);
        }
      }
    }
  }

  draw(viewState) {
    if (!this.canvas.isConnected) return;
    const box = this.canvas.parentElement.getBoundingClientRect();
    const width = Math.max(1, Math.round(box.width));
    const height = Math.max(1, Math.round(box.height));
    const ratio = this.scale; // as deck.gl's canvases (useDevicePixels: 1): one canvas pixel a CSS pixel
    const pixels = [Math.round(width * ratio), Math.round(height * ratio)];
    if (this.canvas.width !== pixels[0] || this.canvas.height !== pixels[1]) {
      [this.canvas.width, this.canvas.height] = pixels;
    }
    const ctx = this.ctx;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const where = this.transform(viewState, width, height);
    for (const item of this.items) {
      ctx.beginPath();
      for (const piece of item.data) {
        let rings = this.rings.get(piece);
        if (!rings) {
          rings = mercatorRings(item.line ? [piece.path] : piece.polygon);
          this.rings.set(piece, rings);
        }
        this.trace(ctx, rings, where);
      }
      if (item.line) {
        ctx.strokeStyle = rgba(item.colour);
        ctx.lineWidth = item.width;
        ctx.lineJoin = "round";
        ctx.lineCap = "round";
        ctx.stroke();
      } else {
        ctx.fillStyle = rgba(item.colour);
        ctx.fill("evenodd");
      }
    }
  }

  remove() {
    this.observer.disconnect();
    this.canvas.remove();
  }
}

class LiveView {
  constructor(root, args) {
    this.root = root;
    this.args = args;
    this.inner = null;
    this.outer = null;
    this.dragging = false;
    this.painted = {};
    this.stats = { paints: 0, values: 0, frames: [], redraws: [], picks: [] };
    window.__liveView = this; // the page's last view (the landing page has one); each root keeps its own
    root.__liveView = this;
    root.innerHTML = "";
    root.classList.add("nws-live");
    this.el = (tag, cls, parent, text) => {
      const e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      (parent || root).appendChild(e);
      return e;
    };
    this.status = this.el("p", "nws-status");
    this.status.setAttribute("role", "status");
    const control = this.el("div", "nws-depth");
    control.setAttribute("role", "group");
    control.setAttribute("aria-label", "Zone depth, km from the border");
    this.readout = this.el("p", "nws-readout", control);
    this.readout.setAttribute("aria-live", "off");
    const track = this.el("div", "nws-track", control);
    this.fill = this.el("div", "nws-fill", track);
    this.thumbs = ["inner", "outer"].map((which) => {
      const input = this.el("input", `nws-thumb nws-${which}`, track);
      input.type = "range";
      input.min = "0";
      input.dataset.which = which;
      input.setAttribute(
        "aria-label",
        which === "inner" ? "Inner edge of the band, km from the border" : "Outer edge of the zone, km from the border",
      );
      input.addEventListener("input", () => this.moved(input));
      input.addEventListener("change", () => this.released());
      input.addEventListener("pointerdown", () => (this.dragging = true));
      for (const end of ["pointerup", "pointercancel"]) {
        input.addEventListener(end, () => {
          this.dragging = false; // a drag that ends where it began sends no change event
          this.coarse(false);
        });
      }
      return input;
    });
    const body = this.el("div", "nws-body");
    this.mapBox = this.el("div", "nws-map", body);
    this.mapBox.setAttribute("role", "img");
    this.panel = this.el("div", "nws-figures", body);
    this.panel.setAttribute("role", "region"); // a fixed height, scrolled if need be: reachable by keyboard
    this.panel.setAttribute("aria-label", "What this scenario covers");
    this.panel.tabIndex = 0;
    // the tiles change on every frame of a drag: a screen reader hears the band once a thumb is let go
    this.announce = this.el("p", "nws-sr", root);
    this.announce.setAttribute("aria-live", "polite");
    this.heading = this.el("h3", "nws-heading", this.panel, "What this scenario covers");
    this.caption = this.el("p", "nws-caption", this.panel);
    this.grid = this.el("dl", "nws-grid", this.panel);
    this.sentences = this.el("p", "nws-sentences", this.panel);
    this.tiles = {};
  }

  update(args) {
    const old = this.args;
    this.args = args;
    const s = args.scenario;
    for (const input of this.thumbs) {
      // before the depths: a range input rounds its value to its step (a link's 29.5 km to 30 on the default 1)
      input.max = String(args.max_km);
      input.step = String(args.step_km);
    }
    const moved = !this.dragging && (s.inner_km !== this.committedInner || s.outer_km !== this.committedOuter);
    if (moved || this.inner === null) {
      this.setDepths(s.inner_km, s.outer_km);
      this.committedInner = s.inner_km;
      this.committedOuter = s.outer_km;
    }
    // what this page shows of the view: the presenter a map alone; Compare's narrow columns stack the figures
    this.root.classList.toggle("nws-no-depth", !args.parts.depth);
    this.root.classList.toggle("nws-no-figures", !args.parts.figures);
    this.root.classList.toggle("nws-stacked", !!args.parts.stacked);
    this.mapBox.style.height = `${args.height}px`;
    this.root.style.setProperty("--nws-height", `${args.height}px`);
    this.mapBox.setAttribute("aria-label", args.alt);
    this.caption.textContent = args.caption;
    this.buildTiles();
    if (!this.curves || old.curves !== args.curves) {
      if (old.curves !== args.curves) this.curves = null; // another segment or events window: the server's text
      this.loadCurves();
    }
    if (!this.drawing || old.drawing !== args.drawing) this.loadDrawing();
    this.ensureDeck();
    this.paint();
  }

  setDepths(inner, outer) {
    this.inner = inner;
    this.outer = outer;
    const [a, b] = this.thumbs;
    a.value = String(inner);
    b.value = String(outer);
    this.syncThumbs();
  }

  syncThumbs() {
    const max = this.args.max_km;
    const [a, b] = this.thumbs;
    a.setAttribute("aria-valuetext", `${this.inner} km`);
    b.setAttribute("aria-valuetext", `${this.outer} km`);
    this.fill.style.left = `${(100 * this.inner) / max}%`;
    this.fill.style.width = `${(100 * (this.outer - this.inner)) / max}%`;
    this.readout.textContent = `Band ${this.inner}–${this.outer} km from the border (zone 0–${this.outer} km)`;
  }

  moved(input) {
    const grid = this.args.step_km; // the curves' grid, or a multiple of it (Compare's whole kilometres)
    let value = Math.round(Number(input.value) / grid) * grid;
    if (input.dataset.which === "inner") {
      value = Math.min(value, this.outer - grid);
      this.inner = Math.max(0, value);
    } else {
      value = Math.max(value, this.inner + grid);
      this.outer = Math.min(this.args.max_km, value);
    }
    this.thumbs[0].value = String(this.inner);
    this.thumbs[1].value = String(this.outer);
    this.syncThumbs();
    this.coarse(true);
    this.paintValues(); // the figures at once, on every input event; the map on the next animation frame
    this.paint();
  }

  coarse(moving) {
    // While a thumb moves the zone and band are drawn at half the pixels across (a quarter of the pixels):
    // software WebGL pays per pixel filled and composited, and this canvas is redrawn on every frame of a
    // drag (measured on this machine: 23 → 28 band redraws a second, figures 23 → 28 a second). On release
    // it is drawn again at full resolution, so what stays on screen is sharp.
    if (!this.middle || this.middleCoarse === moving) return;
    this.middleCoarse = moving;
    this.middle.scale = moving ? 0.5 : 1;
    if (!moving) this.zoneStale();
  }

  released() {
    this.dragging = false;
    this.coarse(false);
    if (this.values) {
      const v = this.values;
      this.announce.textContent =
        `Band ${this.inner}–${this.outer} km: zone area ${fixed(v.zone_area_km2, 0)} km², ` +
        `people inside ${peopleEstimate(v.population_inside, false)}.`;
    }
    if (this.inner === this.committedInner && this.outer === this.committedOuter) return;
    this.committedInner = this.inner;
    this.committedOuter = this.outer;
    this.stats.released = performance.now();
    this.args.commit([this.inner, this.outer]);
  }

  loadCurves() {
    const url = this.args.curves;
    fetchJson(url)
      .then((record) => {
        if (this.args.curves !== url) return;
        this.curves = record;
        this.root.dataset.curves = "ready";
        this.paint();
      })
      .catch((err) => this.say(`Live figures unavailable (${err.message}); they follow on release.`));
  }

  loadDrawing() {
    const url = this.args.drawing;
    fetchJson(url)
      .then((drawing) => {
        if (this.args.drawing !== url) return;
        this.drawing = unpackDrawing(drawing);
        this.root.dataset.drawing = "ready";
        this.paint();
      })
      .catch((err) => this.say(`The live zone could not be drawn (${err.message}).`));
  }

  say(text) {
    this.status.textContent = text;
  }

  ensureDeck() {
    if (this.deckLoading) return;
    this.deckLoading = loadScript(this.args.vendor).then(
      (deck) => {
        if (this.gone) return; // unmounted while the script loaded: no contexts on a detached node
        this.lib = deck;
        const args = this.args;
        // Three canvases, one over another: the basemap below the zone, the zone and band with their edges (a 2D
        // canvas, ZoneCanvas), and everything above them (the unseen sub-districts that catch clicks, roads,
        // places, posts, names, scale bar). A drag redraws the middle one alone: software WebGL took ~0.5 s to
        // draw the whole map again. The top one holds the controls and shares its view with the others.
        this.viewState = { ...args.view };
        const canvas = (extra) =>
          new deck.Deck({
            parent: this.mapBox,
            width: "100%",
            height: "100%",
            useDevicePixels: 1,
            viewState: this.viewState,
            controller: false,
            style: { pointerEvents: "none" },
            ...extra,
          });
        this.below = canvas({});
        this.middle = new ZoneCanvas(this.mapBox, deck, () => this.zoneStale());
        this.deck = canvas({
          controller: true,
          style: {},
          pickingRadius: 2,
          getTooltip: (info) => this.tooltip(info),
          onViewStateChange: ({ viewState }) => this.look(viewState),
        });
        // A click is picked here, on the clickable layers only, from the browser's own click event: deck.gl's
        // gesture recogniser lost clicks on this machine's software WebGL (no onClick at all in Chromium)
        let down = null;
        this.mapBox.addEventListener("pointerdown", (e) => (down = [e.clientX, e.clientY]));
        this.mapBox.addEventListener("click", (e) => {
          if (down && Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4) return; // a pan, not a click
          const box = this.mapBox.getBoundingClientRect();
          const ids = this.args.clickable.filter((id) => this.made && this.made.has(id));
          const info = this.deck.pickObject({ x: e.clientX - box.left, y: e.clientY - box.top, radius: 3, layerIds: ids });
          if (info) this.clicked(info);
        });
        this.viewKey = JSON.stringify(args.view);
        this.root.dataset.deck = "ready";
        this.paint();
      },
      (err) => {
        this.say(`The live map's script could not load (${err.message}): the server's map and slider are shown instead.`);
        this.root.dataset.deck = "failed";
        this.args.unavailable(String(err.message));
      },
    );
  }

  look(viewState) {
    this.viewState = viewState;
    for (const d of [this.below, this.deck]) d.setProps({ viewState });
    this.zoneStale(); // on the frame deck.gl draws the new view on
    return viewState;
  }

  zoneStale() {
    this.zoneKey = null;
    this.paint();
  }

  tooltip(info) {
    const o = info.object;
    if (!o) return null;
    const text = o.properties && o.properties.tip;
    return text ? { text, style: { fontSize: "14px", whiteSpace: "pre-line" } } : null;
  }

  clicked(info) {
    const layer = info.layer && info.layer.id;
    if (!layer || !this.args.clickable.includes(layer) || info.index < 0) return;
    this.stats.picks.push(performance.now());
    this.args.pick({ layer, row: info.index, at: Date.now() });
  }

  rendered() {
    const now = performance.now();
    this.middleCost = now - this.middleStart; // what one draw of the zone and band costs this machine
    this.middleEnd = now;
    if (this.drawnInner === undefined && this.args.show_zone) return; // drawn before the annuli came: no zone yet
    const key = this.args.show_zone ? `${this.drawnInner}-${this.drawnOuter}` : "no zone";
    this.stats.frames.push(now);
    if (key !== this.lastRendered) {
      this.stats.redraws.push(now);
      this.lastRendered = key;
    }
    this.root.dataset.rendered = key;
  }

  layers() {
    const args = this.args;
    const out = [];
    const below = [];
    let live = { key: `no zone ${args.drawing}`, depths: null, items: [] };
    if (this.drawing && args.show_zone) {
      // Only what is shown is drawn: the zone 0–B as one polygon, the band's pieces over it (the band's colour
      // is the two stacked), and the two edges in view (software WebGL took ~200 ms a frame for all 200 pieces
      // behind a filter, ~600 ms for 200 filtered edges; the 2D canvas draws only these)
      const a = this.inner;
      const b = this.outer;
      const ia = Math.round(a / args.grid_km);
      const ib = Math.round(b / args.grid_km);
      const edge = (look, depth) => ({
        line: true,
        colour: look.colour,
        width: look.width,
        data: depth > 0 ? this.drawing.edgesAt.get(depth) || [] : [],
      });
      live = {
        key: `${args.drawing} ${a}-${b}`, // another segment's annuli: drawn again at the same depths
        depths: [a, b],
        items: [
          { colour: args.looks.zone, data: this.drawing.zonesAt.get(ib) || [] },
          { colour: args.looks.band, data: this.drawing.byIndex.slice(ia, ib).flat() },
          edge(args.looks.edge_inner, a),
          edge(args.looks.edge_outer, b),
        ],
      };
    }
    // Each canvas is a WebGL context of its own that links its own shader programs, ~0.17 s each on software
    // WebGL: the river names are drawn above the zone with the other names, so the basemap's canvas needs no
    // text program (a new viewer's map waited ~0.2 s less).
    let above = false;
    const lifted = [];
    for (const spec of args.layers) {
      if (spec.id === "subdistricts") above = true;
      if (!above && /text/.test(spec.pointType || "")) lifted.push(this.built(spec));
      else (above ? out : below).push(this.built(spec));
    }
    out.unshift(...lifted);
    return { below, live, above: out };
  }

  built(spec) {
    // a layer is made again only when its spec changes: deck.gl then keeps its data and attributes
    this.made = this.made || new Map();
    const key = JSON.stringify(spec);
    const held = this.made.get(spec.id);
    if (held && held.key === key) return held.layer;
    const layer = fromSpec(this.lib, spec);
    this.made.set(spec.id, { key, layer });
    return layer;
  }

  paint() {
    if (this.frame || this.gone) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.paintNow();
    });
  }

  drawZone() {
    if (!this.middle) return;
    this.middleStart = performance.now();
    this.middle.draw(this.viewState);
    if (this.zoneDepths) [this.drawnInner, this.drawnOuter] = this.zoneDepths;
    this.rendered();
  }

  drawnTooRecently() {
    // The zone and band are drawn again only once the page has had as long since their last draw as that draw
    // took: on software WebGL (deck.gl) a draw of them took most of a frame, and a drag that drew them on every
    // frame held the figures to the same rate (15–19 a second on this machine). With at least half of the time left
    // to the page, the figures change on every frame and the band follows every other one or so; where
    // drawing is cheap (a graphics card) the band is drawn on every frame.
    if (this.middleEnd === undefined || this.middleCost === undefined) return false;
    return performance.now() - this.middleEnd < this.middleCost;
  }

  paintNow() {
    const args = this.args;
    if (this.deck) {
      const viewKey = JSON.stringify(args.view);
      if (viewKey !== this.viewKey) {
        this.viewKey = viewKey;
        this.look({ ...args.view });
      }
      const { below, live, above } = this.layers();
      // a canvas is handed its layers only when one of them changed: a new list, even of the same layers, has
      // deck.gl draw that canvas again
      const same = (a, b) => a && a.length === b.length && a.every((layer, i) => layer === b[i]);
      for (const [d, layers] of [
        [this.below, below],
        [this.deck, above],
      ]) {
        if (!same(d.props.layers, layers)) d.setProps({ layers });
      }
      if (live.key !== this.zoneKey) {
        if (this.drawnTooRecently()) this.paint(); // the band on a later frame; the figures were painted on this one
        else {
          this.zoneKey = live.key;
          this.zoneDepths = live.depths;
          this.middle.set(live.items);
          this.drawZone();
        }
      }
    }
    this.paintValues();
  }

  paintValues() {
    const args = this.args;
    const committed = this.inner === args.scenario.inner_km && this.outer === args.scenario.outer_km;
    if (this.curves && this.curves.segment === args.scenario.segment) {
      this.values = figures(this.curves, args.constant, this.inner, this.outer);
      this.baseline = figures(this.curves, args.constant, args.baseline[0], args.baseline[1]);
      this.paintFigures(false);
    } else if (committed) {
      this.values = null;
      this.paintFigures(true);
    } else {
      this.values = null;
      this.paintFigures(true, true);
    }
  }

  buildTiles() {
    const key = this.args.rows.map((r) => r.key).join(",");
    if (this.tileKey === key) return;
    this.tileKey = key;
    this.grid.textContent = "";
    this.tiles = {};
    for (const row of this.args.rows) {
      const tile = this.el("div", "nws-tile", this.grid);
      tile.dataset.key = row.key;
      this.el("dt", "nws-label", tile, row.label);
      const dd = this.el("dd", "nws-value", tile);
      const delta = this.el("dd", "nws-delta", tile);
      this.tiles[row.key] = { dd, delta };
    }
    this.painted = {};
  }

  paintFigures(fromServer, stale) {
    const args = this.args;
    for (const row of args.rows) {
      let text;
      let delta;
      if (fromServer) {
        text = stale ? "…" : row.text;
        delta = stale ? "" : row.delta || "";
      } else {
        text = metricText(row, this.values);
        delta = row.compared ? UNITS[row.unit].delta(this.values[row.key] - this.baseline[row.key]) : "";
      }
      const tile = this.tiles[row.key];
      if (this.painted[row.key] !== text) {
        tile.dd.textContent = text;
        this.painted[row.key] = text;
        this.stats.values += 1;
      }
      if (tile.delta.textContent !== delta) tile.delta.textContent = delta;
    }
    let sentence;
    if (fromServer) sentence = stale ? "" : args.sentences;
    else {
      const said = args.said
        .map((row) => `${row.label}: ${aloud(row, this.values, args.low_confidence_spread)}`)
        .join("  ·  ");
      sentence = said;
    }
    if (this.sentences.textContent !== sentence) this.sentences.textContent = sentence;
    this.stats.paints += 1;
    this.root.dataset.painted = `${this.inner}-${this.outer}`;
  }
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  const root = parentElement.querySelector(".nws-root") || parentElement;
  const args = {
    ...data,
    // the release's time goes with the pair: Streamlit calls the page only for a value unlike the last one, and
    // a release back at the pair committed before (after the sidebar's slider moved) must still reach it
    commit: (pair) => setStateValue("depth", [...pair, Date.now()]),
    pick: (picked) => setTriggerValue("picked", picked),
    unavailable: (why) => setStateValue("unavailable", why),
  };
  let view = VIEWS.get(root);
  if (!view) {
    view = new LiveView(root, args);
    VIEWS.set(root, view);
  }
  view.update(args);
  return () => {
    view.gone = true;
    if (view.frame) cancelAnimationFrame(view.frame);
    for (const d of [view.below, view.deck]) if (d) d.finalize();
    if (view.middle) view.middle.remove();
    VIEWS.delete(root);
  };
}

globalThis.__liveFigures = figures;
export { figures, metricText, aloud, UNITS, peopleWithRange, deathsWithRange, peopleEstimate };
