#!/usr/bin/env node
// Generates the sample data of the shipped web-shop scorecard (samples/webshop.kpi.yaml)
// into samples/data/*.csv.
//
//   node scripts/gen-samples.mjs        (or: npm run gen-samples)
//
// Deterministic: seeded PRNGs (mulberry32, one stream per file), calendar arithmetic in
// UTC, integer cents for money, "\n" line endings. Every run writes the same bytes.
// Plain Node 20 ESM, no dependencies.
//
// The story in the data (see samples/README.md):
//   - 2025-01-01 .. 2026-10-31, daily; ~20 % growth a year; weekly and yearly seasonality;
//   - Spring Festival dips (2025-01-29, 2026-02-17);
//   - 618 (June 18) and 双11 (November 11, the biggest day of the year) with presales,
//     coupons and extra ad budget; 双12 as a smaller echo;
//   - a spring 2026 campaign 春季焕新 (2026-03-16 .. 2026-04-12), mostly paid social;
//   - the bad month 2025-08: the analytics tag broke on mobile for three weeks (web
//     numbers under-recorded, orders are not), and paid traffic got expensive and
//     converted badly (an auction price war plus a broken landing page).
//
// Besides the daily web export, a hit-level export of one recorded session in 40 (hits.csv,
// timestamps in UTC), and the CRM's leads and won deals (crm_leads.csv, deals.csv) behind
// the daily lead counts of leads.csv.

import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'samples', 'data');

// ---------------------------------------------------------------------------------------
// Randomness

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to derive one seed per stream from its name. */
function seedOf(name) {
  let h = 0x811c9dc5;
  for (const ch of name) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

class Rng {
  constructor(name) {
    this.u = mulberry32(seedOf(`kpispec-samples/${name}`));
    this.spare = null;
  }
  next() {
    return this.u();
  }
  int(n) {
    return Math.floor(this.u() * n);
  }
  normal() {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.u();
    const v = this.u();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  poisson(lambda) {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const l = Math.exp(-lambda);
      let k = 0;
      let p = 1;
      for (;;) {
        p *= this.u();
        if (p <= l) return k;
        k++;
      }
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
  }
  binomial(n, p) {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n < 40) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.u() < p) k++;
      return k;
    }
    const k = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * this.normal());
    return Math.min(n, Math.max(0, k));
  }
  /** Index drawn with the given (not necessarily normalised) weights. */
  weighted(weights) {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.u() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
  /** A multiplicative noise factor around 1. */
  jitter(sd) {
    return Math.max(0.2, 1 + sd * this.normal());
  }
}

// ---------------------------------------------------------------------------------------
// Calendar (all in UTC arithmetic; the dates are Asia/Shanghai calendar dates)

const DAY_MS = 86400000;
const START = Date.UTC(2025, 0, 1);
const END = Date.UTC(2026, 9, 31);
const DAYS = Math.round((END - START) / DAY_MS) + 1;

const pad = (n, w = 2) => String(n).padStart(w, '0');

function dateOf(i) {
  const d = new Date(START + i * DAY_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), wd: d.getUTCDay() };
}
const iso = (c) => `${c.y}-${pad(c.m)}-${pad(c.d)}`;
const monthOf = (c) => `${c.y}-${pad(c.m)}`;
const dayIndex = (y, m, d) => Math.round((Date.UTC(y, m - 1, d) - START) / DAY_MS);
const between = (i, a, b) => i >= a && i <= b;

const CNY = [dayIndex(2025, 1, 29), dayIndex(2026, 2, 17)]; // Spring Festival
const SPRING26 = [dayIndex(2026, 3, 16), dayIndex(2026, 4, 12)]; // 春季焕新 campaign
const OUTAGE = [dayIndex(2025, 8, 4), dayIndex(2025, 8, 24)]; // mobile analytics tag broken
const BAD_PAID = [dayIndex(2025, 8, 1), dayIndex(2025, 8, 31)]; // paid price war + bad landing page
const NEW_CHECKOUT = dayIndex(2026, 1, 1); // a one-page checkout
const FAST_MOBILE = dayIndex(2026, 4, 1); // the mobile site gets faster
const LOYALTY = dayIndex(2026, 1, 1); // the 会员计划 loyalty programme starts

/** Days relative to this year's 618 (June 18) and 双11 (November 11); negative before. */
function festival(c, i) {
  const d618 = i - dayIndex(c.y, 6, 18);
  const d1111 = i - dayIndex(c.y, 11, 11);
  return { d618, d1111 };
}

/**
 * The day's drivers: overall demand (traffic), purchase intent (intent), basket size
 * (basket), extra ad budget (adBoost), and named phases for campaigns and coupons.
 */
function drivers(i) {
  const c = dateOf(i);
  const t = i / 365;
  let traffic = 1 + 0.2 * t; // growth
  const doy = i % 365;
  traffic *= 1 + 0.07 * Math.cos((2 * Math.PI * (doy - 325)) / 365); // yearly: high in Nov/Dec, low in May/Jun
  traffic *= [1.1, 0.99, 0.97, 0.97, 0.95, 0.93, 1.06][c.wd]; // Sun .. Sat
  let intent = 1;
  let basket = 1;
  let adBoost = 1;
  const phase = [];

  for (const cny of CNY) {
    const k = i - cny;
    if (k >= -12 && k <= -4) traffic *= 1.12; // 年货节 shopping before the holiday
    if (k >= -3 && k <= 6) { traffic *= 0.68; intent *= 0.8; } // couriers stop
  }
  if (c.m === 3 && c.d >= 6 && c.d <= 8) { traffic *= 1.2; intent *= 1.1; } // 3·8 节

  const { d618, d1111 } = festival(c, i);
  if (d618 >= -17 && d618 <= -1) { traffic *= 1.18 + 0.02 * (d618 + 17); intent *= 1.1; phase.push('618'); adBoost *= 1.6; }
  if (d618 === 0) { traffic *= 2.7; intent *= 1.45; basket *= 1.15; phase.push('618', '618day'); adBoost *= 3; }
  if (d618 === 1) { traffic *= 1.25; }
  if (d1111 >= -22 && d1111 <= -12) { traffic *= 1.3; intent *= 0.85; phase.push('1111pre'); adBoost *= 1.7; } // presale: browsing, carts
  if (d1111 >= -11 && d1111 <= -1) { traffic *= 1.45 + (d1111 === -1 ? 0.5 : 0) + (d1111 === -10 ? 0.4 : 0); intent *= 1.05; phase.push('1111', '1111pre'); adBoost *= 2; }
  if (d1111 === 0) { traffic *= 5.2; intent *= 1.7; basket *= 1.25; phase.push('1111', '1111day'); adBoost *= 4.5; }
  if (d1111 === 1) { traffic *= 1.6; intent *= 1.15; phase.push('1111'); }
  if (d1111 === 2) { traffic *= 1.2; }
  if (c.m === 12 && c.d === 12) { traffic *= 1.6; intent *= 1.2; phase.push('1212'); }
  if (between(i, SPRING26[0], SPRING26[1])) { traffic *= 1.18; intent *= 1.12; phase.push('spring'); }
  return { c, traffic, intent, basket, adBoost, phase };
}

// ---------------------------------------------------------------------------------------
// Model constants

const CHANNELS = ['organic', 'paid_search', 'social', 'email', 'referral', 'direct'];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const REGIONS = ['华东', '华北', '华南', '西南', '海外'];
const REGION_MIX = [0.4, 0.24, 0.2, 0.1, 0.06];
const AD_REGIONS = ['华东', '华北', '华南', '西南']; // ads are bought per region, domestic only
const AD_REGION_MIX = [0.44, 0.25, 0.21, 0.1];
const PAID = new Set(['paid_search', 'social']);

const DEVICE_MIX = {
  organic: [0.34, 0.58, 0.08],
  paid_search: [0.3, 0.64, 0.06],
  social: [0.08, 0.88, 0.04],
  email: [0.3, 0.63, 0.07],
  referral: [0.4, 0.52, 0.08],
  direct: [0.36, 0.56, 0.08],
};
// Sessions a day from sources that are not ads or e-mail (before growth and seasonality).
const BASE_SESSIONS = { organic: 158, referral: 27, direct: 88, social: 22 };
const SCALE = 0.74; // tunes the volume (and so the size of orders.csv and web_sessions.csv)

// Funnel rates per channel: bounce share, pages per non-bounced session (beyond 2),
// seconds per non-bounced session, share of bounces that landed on a product page,
// add to cart (of non-bounced sessions). Then CHECKOUT (checkouts per cart) and PAY
// (paid orders per checkout) for every channel.
const FUNNEL = {
  organic: { bounce: 0.43, pages: 3.4, secs: 232, landProd: 0.35, cart: 0.128 },
  paid_search: { bounce: 0.47, pages: 2.9, secs: 205, landProd: 0.62, cart: 0.152 },
  social: { bounce: 0.58, pages: 2.5, secs: 176, landProd: 0.55, cart: 0.13 },
  email: { bounce: 0.33, pages: 3.2, secs: 214, landProd: 0.5, cart: 0.19 },
  referral: { bounce: 0.4, pages: 3.3, secs: 238, landProd: 0.4, cart: 0.118 },
  direct: { bounce: 0.35, pages: 3.9, secs: 262, landProd: 0.25, cart: 0.152 },
};
const DEVICE_FUNNEL = {
  desktop: { bounce: -0.05, pages: 0.6, secs: 1.15, cart: 1.12 },
  mobile: { bounce: 0.035, pages: -0.2, secs: 0.92, cart: 0.96 },
  tablet: { bounce: 0.0, pages: 0.2, secs: 1.05, cart: 0.95 },
};
const CHECKOUT = 0.5;
const PAY = 0.63;

// ---------------------------------------------------------------------------------------
// Ads: campaigns, budgets, prices

const AD_CAMPAIGNS = [
  // channel, campaign, daily budget (CNY), cost per click, click-through rate, active(i, d)
  { channel: 'paid_search', name: 'brand_search', budget: 85, cpc: 1.15, ctr: 0.082, on: () => true },
  { channel: 'paid_search', name: '品类词', budget: 175, cpc: 2.7, ctr: 0.026, on: () => true },
  { channel: 'social', name: '抖音信息流', budget: 105, cpc: 1.55, ctr: 0.011, on: () => true },
  { channel: 'social', name: '小红书种草', budget: 58, cpc: 2.1, ctr: 0.014, on: () => true },
  { channel: 'paid_search', name: '618大促', budget: 120, cpc: 2.4, ctr: 0.031, on: (i, d) => d.phase.includes('618') },
  { channel: 'social', name: '618大促', budget: 90, cpc: 1.7, ctr: 0.012, on: (i, d) => d.phase.includes('618') },
  { channel: 'paid_search', name: '双11预热', budget: 150, cpc: 2.6, ctr: 0.03, on: (i, d) => d.phase.includes('1111pre') },
  { channel: 'social', name: '双11预热', budget: 140, cpc: 1.8, ctr: 0.012, on: (i, d) => d.phase.includes('1111pre') },
  { channel: 'paid_search', name: '双11当天', budget: 260, cpc: 3.1, ctr: 0.036, on: (i, d) => d.phase.includes('1111day') || (d.phase.includes('1111') && !d.phase.includes('1111pre')) },
  { channel: 'social', name: '双11当天', budget: 220, cpc: 2.0, ctr: 0.014, on: (i, d) => d.phase.includes('1111day') },
  { channel: 'social', name: '春季焕新', budget: 330, cpc: 1.45, ctr: 0.013, on: (i, d) => d.phase.includes('spring') },
  { channel: 'paid_search', name: '春季焕新', budget: 110, cpc: 2.3, ctr: 0.029, on: (i, d) => d.phase.includes('spring') },
];

function adDay(rng, i, d) {
  const rows = [];
  const clicks = { paid_search: 0, social: 0 };
  const growth = 1 + 0.15 * (i / 365);
  for (const camp of AD_CAMPAIGNS) {
    if (!camp.on(i, d)) continue;
    const always = camp.name === 'brand_search' || camp.name === '品类词' || camp.name === '抖音信息流' || camp.name === '小红书种草';
    let budget = camp.budget * growth * (always ? Math.min(1.5, 0.6 + 0.4 * d.adBoost) : d.adBoost / 1.7) * rng.jitter(0.08);
    let cpc = camp.cpc * rng.jitter(0.07);
    let ctr = camp.ctr * rng.jitter(0.06);
    if (between(i, BAD_PAID[0], BAD_PAID[1])) {
      cpc *= 1.65; // competitors bid up the auction
      ctr *= 0.72;
      budget *= 1.08;
    }
    if (d.phase.includes('1111day') || d.phase.includes('618day')) cpc *= 1.25;
    const cents = Math.round(budget * 100);
    const c = Math.max(1, Math.round(cents / 100 / cpc));
    const impressions = Math.round(c / ctr);
    clicks[camp.channel] += c;
    rows.push({ channel: camp.channel, campaign: camp.name, impressions, clicks: c, cents });
  }
  return { rows, clicks };
}

// ---------------------------------------------------------------------------------------
// E-mail: sends

const LIST = { all_subscribers: 9200, vip: 1350, new_subscribers: 380, cart_abandoners: 260, lapsed: 3100 };
const EMAIL_RATES = {
  // open, click (of delivered), unsubscribe, conversion (of clicks)
  all_subscribers: { open: 0.22, click: 0.029, unsub: 0.0016, conv: 0.055 },
  vip: { open: 0.39, click: 0.066, unsub: 0.0007, conv: 0.085 },
  new_subscribers: { open: 0.46, click: 0.081, unsub: 0.0042, conv: 0.06 },
  cart_abandoners: { open: 0.43, click: 0.112, unsub: 0.0021, conv: 0.16 },
  lapsed: { open: 0.085, click: 0.011, unsub: 0.0062, conv: 0.04 },
};

function emailSends(i, d) {
  const c = d.c;
  const sends = [];
  if (c.wd === 4) sends.push(['每周精选', 'all_subscribers']);
  if (c.wd === 1) sends.push(['新客欢迎', 'new_subscribers']);
  if (c.wd === 3 || c.wd === 6) sends.push(['购物车召回', 'cart_abandoners']);
  if (c.d === 1) sends.push(['会员日', 'vip']);
  if (c.d === 15) sends.push(['老客唤醒', 'lapsed']);
  const { d618, d1111 } = festival(c, i);
  if (d618 === -8 || d618 === -1) sends.push(['618大促', 'all_subscribers']);
  if (d618 === 0) sends.push(['618大促', 'vip']);
  if (d1111 === -17 || d1111 === -10 || d1111 === -3) sends.push(['双11预热', 'all_subscribers']);
  if (d1111 === -1) sends.push(['双11预热', 'vip']);
  if (d1111 === 0) sends.push(['双11当天', 'all_subscribers'], ['双11当天', 'vip']);
  if (c.m === 12 && c.d === 11) sends.push(['双12返场', 'all_subscribers']);
  for (const cny of CNY) if (i - cny === -10) sends.push(['年货节', 'all_subscribers']);
  if (i === SPRING26[0] || i === SPRING26[0] + 10 || i === SPRING26[0] + 23) sends.push(['春季焕新', 'all_subscribers']);
  return sends;
}

function emailDay(rng, i, d) {
  const rows = [];
  let clicks = 0;
  const growth = 1 + 0.24 * (i / 365);
  const busy = d.phase.includes('1111') || d.phase.includes('1111pre');
  for (const [campaign, segment] of emailSends(i, d)) {
    const r = EMAIL_RATES[segment];
    const sent = Math.round(LIST[segment] * growth * rng.jitter(0.03));
    const delivered = rng.binomial(sent, 0.983 + 0.008 * rng.next());
    const festivalLift = campaign === '每周精选' || campaign === '新客欢迎' || campaign === '购物车召回' || campaign === '会员日' || campaign === '老客唤醒' ? 1 : 1.15;
    const opens = rng.binomial(delivered, r.open * festivalLift * rng.jitter(0.06));
    const clk = Math.min(opens, rng.binomial(delivered, r.click * festivalLift * rng.jitter(0.08)));
    // Over-mailing in the 双11 weeks costs subscribers.
    const unsubscribes = rng.binomial(delivered, r.unsub * (busy ? 2.4 : 1) * rng.jitter(0.15));
    const conversions = rng.binomial(clk, r.conv * d.intent * rng.jitter(0.1));
    let cents = 0;
    for (let k = 0; k < conversions; k++) cents += Math.round(Math.exp(Math.log(215) + 0.45 * rng.normal()) * d.basket * 100);
    clicks += clk;
    rows.push({ campaign, segment, sent, delivered, opens, clicks: clk, unsubscribes, conversions, cents });
  }
  return { rows, clicks };
}

// ---------------------------------------------------------------------------------------
// Web: one day's funnel for one segment

function funnel(rng, channel, device, sessions, d, i) {
  const f = FUNNEL[channel];
  const df = DEVICE_FUNNEL[device];
  const badPaid = PAID.has(channel) && between(i, BAD_PAID[0], BAD_PAID[1]);
  // 2026: the faster mobile site (from April).
  const fastMobile = device === 'mobile' && i >= FAST_MOBILE;
  let bounceP = f.bounce + df.bounce + (badPaid ? 0.14 : 0) + (d.phase.includes('1111day') ? -0.04 : 0) + (fastMobile ? -0.025 : 0);
  bounceP = Math.min(0.9, Math.max(0.05, bounceP));
  const bounces = rng.binomial(sessions, bounceP);
  const engaged = sessions - bounces;
  const pageviews = bounces + 2 * engaged + rng.poisson(engaged * Math.max(0.5, f.pages + df.pages));
  const seconds =
    rng.poisson(bounces * 3) + Math.round(engaged * f.secs * df.secs * (engaged > 0 ? rng.jitter(0.12 / Math.sqrt(engaged)) : 0));
  const productViews = rng.binomial(bounces, f.landProd) + rng.binomial(pageviews - bounces, 0.41);
  const visitors = sessions > 0 ? Math.max(1, sessions - rng.binomial(sessions, channel === 'email' ? 0.16 : 0.11)) : 0;
  const cartP = Math.min(0.6, f.cart * df.cart * d.intent * (badPaid ? 0.62 : 1));
  const carts = rng.binomial(engaged, cartP);
  const checkouts = rng.binomial(carts, CHECKOUT * (d.phase.includes('1111pre') ? 0.85 : 1));
  return { sessions, pageviews, bounces, seconds, visitors, productViews, carts, checkouts };
}

// ---------------------------------------------------------------------------------------
// Customers and orders

const PRICES = [3900, 5900, 6900, 8990, 9900, 12900, 14900, 16900, 19900, 25900, 29900, 39900, 49900, 69900];
const PRICE_W = [6, 10, 9, 11, 12, 11, 9, 7, 7, 5, 4, 3, 2, 1];
const HOUR_W = [1.4, 0.7, 0.35, 0.2, 0.15, 0.2, 0.4, 0.8, 1.2, 1.6, 2.0, 2.1, 2.0, 1.8, 1.7, 1.7, 1.7, 1.6, 1.6, 2.0, 2.6, 3.0, 2.7, 2.0];
const RETURN_P = { organic: 0.24, paid_search: 0.14, social: 0.16, email: 0.72, referral: 0.2, direct: 0.5 };

class Customers {
  constructor(rng) {
    this.rng = rng;
    this.list = []; // { id, region, loyalty, last }
    this.byRegion = new Map(REGIONS.map((r) => [r, []]));
    // The shop existed before 2025: 2,400 customers bought in 2024 (their orders are
    // not in the data, so a customers rollup of the orders sees them as new in 2025).
    for (let k = 0; k < 2400; k++) {
      const region = REGIONS[rng.weighted(REGION_MIX)];
      this.add(region, -1 - rng.int(365), 0.15 + 0.85 * rng.next() ** 1.6);
    }
  }
  add(region, day, loyalty) {
    const c = { id: `C${pad(this.list.length + 1, 6)}`, region, loyalty, last: day };
    this.list.push(c);
    this.byRegion.get(region).push(c);
    return c;
  }
  /** A returning customer for an order on day i (in region, if given), or null. */
  returning(i, region) {
    const pool = region ? this.byRegion.get(region) : this.list;
    if (pool.length === 0) return null;
    for (let tries = 0; tries < 14; tries++) {
      // Half the draws from the most recent quarter of the pool: recent buyers come back more.
      const recent = this.rng.next() < 0.5;
      const lo = recent ? Math.floor(pool.length * 0.75) : 0;
      const c = pool[lo + this.rng.int(pool.length - lo)];
      if (c.last === i) continue;
      const w = c.loyalty * (0.22 + 0.78 * Math.exp(-(i - c.last) / 75));
      if (this.rng.next() < w) return c;
    }
    return null;
  }
}

function couponFor(rng, d, isNew, loyalty, cents) {
  if (d.phase.includes('1111') && cents >= 29900 && rng.next() < 0.62) return 'D11-50';
  if (d.phase.includes('618') && cents >= 19900 && rng.next() < 0.5) return '618-30';
  if (d.phase.includes('1212') && cents >= 19900 && rng.next() < 0.4) return 'D12-20';
  if (d.phase.includes('spring') && rng.next() < 0.33) return 'SPRING15';
  if (isNew && rng.next() < 0.17) return 'NEW20';
  if (!isNew && loyalty > 0.8 && rng.next() < 0.12) return 'VIP10';
  return '';
}

function discount(coupon, cents) {
  switch (coupon) {
    case 'D11-50': return 5000;
    case '618-30': return 3000;
    case 'D12-20': return 2000;
    case 'NEW20': return Math.min(2000, Math.floor(cents / 2));
    case 'SPRING15': return Math.round(cents * 0.15);
    case 'VIP10': return Math.round(cents * 0.1);
    default: return 0;
  }
}

function orderTime(rng, d) {
  const w = HOUR_W.slice();
  if (d.phase.includes('1111day')) { w[0] = 16; w[1] = 4; w[20] = 4; w[21] = 4; } // the midnight rush
  if (d.phase.includes('618day')) { w[0] = 7; w[20] = 4.5; }
  const h = rng.weighted(w);
  return h * 3600 + rng.int(3600);
}

// ---------------------------------------------------------------------------------------
// Hits: the analytics tool's page-view export, for a sample of the recorded sessions

const HIT_SAMPLE = 40; // one recorded session in 40 is exported hit by hit (keeps hits.csv small)
// Share of sessions by a visitor seen before (on the same device: the visitor id is a cookie).
const RETURN_VISIT = { organic: 0.3, paid_search: 0.2, social: 0.25, email: 0.7, referral: 0.25, direct: 0.6 };
const PAGE_W = [['item', 0.45], ['category', 0.25], ['search', 0.15], ['home', 0.1], ['cart', 0.05]];

class Visitors {
  constructor(rng) {
    this.rng = rng;
    this.byDevice = new Map(DEVICES.map((dv) => [dv, []]));
    this.ids = new Set();
  }
  /** The visitor of a session on day i, with its visit number. */
  visit(channel, device, i) {
    const pool = this.byDevice.get(device);
    if (pool.length > 0 && this.rng.next() < RETURN_VISIT[channel]) {
      for (let tries = 0; tries < 8; tries++) {
        const lo = this.rng.next() < 0.6 ? Math.floor(pool.length * 0.8) : 0;
        const v = pool[lo + this.rng.int(pool.length - lo)];
        if (v.day === i) continue; // one sampled visit a day, so visit numbers follow the time
        // The visits in between were not sampled, but the tool numbered them.
        v.visits += 1 + this.rng.poisson(1.5);
        v.day = i;
        return { id: v.id, visit: v.visits };
      }
    }
    let id;
    do id = `v${(this.rng.int(0x10000000) + 0x10000000 * this.rng.int(16)).toString(16).padStart(8, '0')}`;
    while (this.ids.has(id));
    this.ids.add(id);
    // A visitor new to the sample may have visited before, unsampled.
    const v = { id, visits: this.rng.next() < 0.75 ? 1 : 2 + this.rng.poisson(1.5), day: i };
    pool.push(v);
    return { id, visit: v.visits };
  }
}

function pagePath(rng, kind) {
  switch (kind) {
    case 'item': return `/item/${10001 + rng.int(360)}`;
    case 'category': return `/category/${1 + rng.int(12)}`;
    default: return kind === 'home' ? '/' : `/${kind}`;
  }
}

/**
 * One sampled session of a web row: its pages, the seconds between them, and its revenue
 * (cents, or null without a purchase; the export writes 0 then). Bounce, depth and
 * duration follow the row as recorded; the purchase follows the orders the row's real
 * sessions produced.
 */
function hitSession(rng, channel, device, rec, real, orders, d) {
  const f = FUNNEL[channel];
  const kinds = [];
  let revenue = null;
  if (rng.next() < rec.bounces / rec.sessions) {
    kinds.push(rng.next() < f.landProd ? 'item' : ['home', 'category', 'search'][rng.int(3)]);
  } else {
    const engaged = rec.sessions - rec.bounces;
    const extra = Math.max(0, (rec.pageviews - rec.bounces) / engaged - 2);
    let n = 2 + rng.poisson(extra);
    const buys = rng.next() < Math.min(0.9, orders / Math.max(1, real.sessions - real.bounces));
    if (buys) {
      const items = 1 + rng.poisson(0.5 * d.basket);
      revenue = 0;
      for (let k = 0; k < items; k++) revenue += PRICES[rng.weighted(PRICE_W)];
      n = Math.max(n, 4);
    }
    kinds.push(rng.next() < f.landProd ? 'item' : ['home', 'category', 'search'][rng.int(3)]);
    const browse = buys ? n - 3 : n - 1;
    for (let k = 1; k <= browse; k++) kinds.push(PAGE_W[rng.weighted(PAGE_W.map((w) => w[1]))][0]);
    if (buys) kinds.push('cart', 'checkout', 'order/success');
  }
  const pages = kinds.map((k) => pagePath(rng, k));
  const gaps = [];
  const mean = (f.secs * DEVICE_FUNNEL[device].secs) / Math.max(1, pages.length - 1);
  for (let k = 1; k < pages.length; k++) gaps.push(Math.max(2, Math.round(-mean * Math.log(1 - rng.next()))));
  return { pages, gaps, revenue };
}

/** A local (Asia/Shanghai) time on day i as the export writes it: UTC, with `Z`. */
function utcStamp(i, secs) {
  return new Date(START + i * DAY_MS + secs * 1000 - 8 * 3600 * 1000).toISOString().replace('.000Z', 'Z');
}

// ---------------------------------------------------------------------------------------
// CRM: the wholesale enquiries one by one, and the deals won from them

const SEGMENTS = ['企业礼品', '零售门店', '电商分销', '酒店餐饮']; // corporate gifts, retail stores, online resellers, hospitality
const SEGMENT_MIX = [0.35, 0.3, 0.2, 0.15];
const SEGMENT_DEALS = [
  // win rate of qualified leads, median days to close, median deal (CNY)
  { win: 0.42, days: 38, amount: 16000 },
  { win: 0.38, days: 24, amount: 8000 },
  { win: 0.33, days: 17, amount: 22000 },
  { win: 0.45, days: 30, amount: 11000 },
];
const SALES_REPS = ['王磊', '李娜', '张伟', '陈静'];
const CRM_HISTORY = 150; // leads from the last 150 days of 2024 may close in 2025

/** A lead of day i: its time of day, segment, and the deal won from it (if any, by day). */
function crmLead(rng, i, qualified, channel) {
  const secs = (8 + rng.weighted([2, 3, 3, 2, 1, 2, 3, 3, 2, 2, 1, 1])) * 3600 + rng.int(3600);
  const s = rng.weighted(SEGMENT_MIX);
  const m = SEGMENT_DEALS[s];
  let deal = null;
  if (qualified && rng.next() < m.win * (channel === 'referral' ? 1.2 : 1)) {
    const days = Math.min(180, Math.max(2, Math.round(m.days * Math.exp(0.65 * rng.normal()))));
    const yuan = Math.round((m.amount * (1 + 0.1 * (i / 365)) * Math.exp(0.5 * rng.normal())) / 10) * 10;
    deal = { day: i + days, cents: yuan * 100, rep: SALES_REPS[rng.int(SALES_REPS.length)] };
  }
  return { i, secs, segment: SEGMENTS[s], deal };
}

// ---------------------------------------------------------------------------------------
// Social

const PLATFORMS = [
  // platform, followers on 2025-01-01, new / lost a day, posts a week, reach a post, engagement
  { name: '微信', followers: 21400, gain: 24, loss: 7.5, posts: 3, reach: 3100, eng: 0.041, base: 0.12 },
  { name: '微博', followers: 12650, gain: 8.5, loss: 10.5, posts: 8, reach: 2300, eng: 0.013, base: 0.15 },
  { name: '抖音', followers: 30200, gain: 58, loss: 16, posts: 4, reach: 14800, eng: 0.052, base: 0.3 },
  { name: '小红书', followers: 7900, gain: 33, loss: 5.5, posts: 6, reach: 5200, eng: 0.064, base: 0.25 },
];

// ---------------------------------------------------------------------------------------
// Output helpers

const money = (cents) => {
  const s = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  return `${s}${Math.floor(a / 100)}.${pad(a % 100)}`;
};
function csvCell(v) {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
function csv(header, rows) {
  const lines = [header.join(',')];
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------
// Generation

function generate() {
  const rWeb = new Rng('web');
  const rAds = new Rng('ads');
  const rMail = new Rng('email');
  const rOrd = new Rng('orders');
  const rCust = new Rng('customers');
  const rSoc = new Rng('social');
  const rLead = new Rng('leads');
  const rHits = new Rng('hits');
  const rCrm = new Rng('crm');

  const web = [];
  const ads = [];
  const mail = [];
  const social = [];
  const leads = [];
  const orders = []; // { day, secs, seq, ... }
  const customers = new Customers(rCust);
  const visitors = new Visitors(rHits);
  const hits = []; // { ms, seq, row }
  const crmLeads = []; // { i, secs, channel, segment, qualified, deal }
  const mailClicks = new Array(DAYS).fill(0);
  const followers = PLATFORMS.map((p) => p.followers);
  const summary = new Map();
  let seq = 0;

  for (let i = 0; i < DAYS; i++) {
    const d = drivers(i);
    const date = iso(d.c);
    const month = monthOf(d.c);
    if (!summary.has(month)) summary.set(month, { sessions: 0, orders: 0, cents: 0, paidCents: 0, spend: 0, newCust: 0, leads: 0, hitSessions: 0, deals: 0 });
    const sum = summary.get(month);

    // Ads
    const ad = adDay(rAds, i, d);
    for (const r of ad.rows) {
      ads.push([date, r.channel, r.campaign, r.impressions, r.clicks, money(r.cents)]);
      sum.spend += r.cents;
    }

    // E-mail
    const em = emailDay(rMail, i, d);
    for (const r of em.rows) {
      mail.push([date, r.campaign, r.segment, r.sent, r.delivered, r.opens, r.clicks, r.unsubscribes, r.conversions, money(r.cents)]);
    }
    mailClicks[i] += em.clicks * 0.64;
    if (i + 1 < DAYS) mailClicks[i + 1] += em.clicks * 0.26;
    if (i + 2 < DAYS) mailClicks[i + 2] += em.clicks * 0.1;

    // Expected sessions per channel
    const expect = {
      organic: BASE_SESSIONS.organic * d.traffic * SCALE,
      paid_search: ad.clicks.paid_search * 0.87,
      social: ad.clicks.social * 0.8 + BASE_SESSIONS.social * d.traffic * SCALE,
      email: mailClicks[i] * 1.12 + 6 * d.traffic,
      referral: BASE_SESSIONS.referral * d.traffic * SCALE,
      direct: BASE_SESSIONS.direct * d.traffic * SCALE * (d.phase.includes('1111day') ? 1.3 : 1),
    };

    // Web rows: paid channels are split by (ad) region; the others are not split.
    const dayOrders = [];
    for (const channel of CHANNELS) {
      const dev = DEVICE_MIX[channel];
      for (let k = 0; k < DEVICES.length; k++) {
        const device = DEVICES[k];
        const regions = PAID.has(channel) ? AD_REGIONS.map((r, j) => [r, AD_REGION_MIX[j]]) : [['', 1]];
        for (const [region, share] of regions) {
          const sessions = rWeb.poisson(expect[channel] * dev[k] * share * rWeb.jitter(0.06));
          if (sessions === 0) continue;
          const real = funnel(rWeb, channel, device, sessions, d, i);
          // What the analytics tool recorded: during the outage most mobile hits were lost.
          let rec = real;
          if (device === 'mobile' && between(i, OUTAGE[0], OUTAGE[1])) {
            const kept = rWeb.binomial(sessions, 0.33);
            rec = kept > 0 ? funnel(rWeb, channel, device, kept, d, i) : null;
          }
          if (rec) {
            web.push([date, channel, device, region, rec.sessions, rec.pageviews, rec.bounces, rec.seconds, rec.visitors, rec.productViews, rec.carts, rec.checkouts]);
            sum.sessions += rec.sessions;
          }
          // The one-page checkout (2026) loses fewer buyers between checkout and payment.
          const n = rOrd.binomial(real.checkouts, PAY * (i >= NEW_CHECKOUT ? 1.07 : 1));
          for (let o = 0; o < n; o++) dayOrders.push({ channel, device, region });
          // The hit-level sample is drawn from what the tool recorded (so the outage shows there too).
          const sampled = rec ? rHits.binomial(rec.sessions, 1 / HIT_SAMPLE) : 0;
          for (let k = 0; k < sampled; k++) {
            const v = visitors.visit(channel, device, i);
            const s = hitSession(rHits, channel, device, rec, real, n, d);
            const total = s.gaps.reduce((a, b) => a + b, 0);
            let secs = orderTime(rHits, d);
            if (i === DAYS - 1) secs = Math.min(secs, 86399 - total); // the export ends at midnight
            const revenue = s.revenue === null ? '0' : money(s.revenue);
            for (let p = 0; p < s.pages.length; p++) {
              hits.push({ ms: START + i * DAY_MS + secs * 1000, seq: hits.length, row: [utcStamp(i, secs), v.id, v.visit, channel, device, s.pages[p], revenue] });
              secs += s.gaps[p] ?? 0;
            }
            sum.hitSessions++;
          }
        }
      }
    }

    // Orders of the day
    for (const o of dayOrders) {
      const region = o.region || REGIONS[rCust.weighted(REGION_MIX)];
      let cust = null;
      let isNew = false;
      const pRet = Math.min(0.9, RETURN_P[o.channel] * (d.phase.includes('1111') ? 1.25 : 1) * (i >= LOYALTY ? 1.18 : 1));
      if (rCust.next() < pRet) cust = customers.returning(i, o.region || null);
      if (!cust) {
        cust = customers.add(region, i, 0.12 + 0.88 * rCust.next() ** 1.7);
        isNew = true;
        sum.newCust++;
      }
      cust.last = i;
      let items = 1 + rOrd.poisson(0.5 * d.basket);
      let cents = 0;
      for (let k = 0; k < items; k++) cents += PRICES[rOrd.weighted(PRICE_W)];
      const coupon = couponFor(rOrd, d, isNew, cust.loyalty, cents);
      cents -= discount(coupon, cents);
      const secs = orderTime(rOrd, d);
      orders.push({ i, secs, seq: seq++, date, customer: cust.id, channel: o.channel, region: o.region || cust.region, device: o.device, cents, items, isNew, coupon });
      sum.orders++;
      sum.cents += cents;
      if (PAID.has(o.channel)) sum.paidCents += cents;
    }

    // Social
    for (let p = 0; p < PLATFORMS.length; p++) {
      const pl = PLATFORMS[p];
      const growth = 1 + 0.1 * (i / 365);
      let boost = 1;
      if (d.phase.includes('1111day') || d.phase.includes('618day')) boost = 3.2;
      else if (d.phase.includes('1111') || d.phase.includes('618')) boost = 1.6;
      if (d.phase.includes('spring') && (pl.name === '小红书' || pl.name === '抖音')) boost = 2.2;
      const posts = rSoc.poisson((pl.posts / 7) * (boost > 1 ? 1.5 : 1));
      const reach = Math.round(pl.reach * growth * (posts + pl.base) * boost ** 0.5 * rSoc.jitter(0.18));
      const engagements = rSoc.binomial(reach, pl.eng * rSoc.jitter(0.12));
      const gained = rSoc.poisson(pl.gain * growth * boost * (0.75 + 0.5 * Math.min(posts, 2) / 2));
      const lost = rSoc.poisson(pl.loss * (1 + 0.0002 * (followers[p] - pl.followers) / 10));
      followers[p] += gained - lost;
      social.push([date, pl.name, followers[p], gained, lost, reach, engagements, posts]);
    }

    // Leads (wholesale / B2B enquiries)
    const leadBase = { organic: 1.15, paid_search: 0.7, referral: 0.45, direct: 0.55 };
    for (const channel of Object.keys(leadBase)) {
      const weekday = d.c.wd >= 1 && d.c.wd <= 5 ? 1.2 : 0.5;
      const lam = leadBase[channel] * weekday * (1 + 0.18 * (i / 365)) * (d.phase.includes('1111pre') ? 1.3 : 1);
      const n = rLead.poisson(lam);
      let qp = i >= dayIndex(2026, 1, 1) ? 0.41 : 0.34; // the enquiry form asks for the company since 2026
      if (channel === 'paid_search' && between(i, BAD_PAID[0], BAD_PAID[1])) qp = 0.12;
      if (channel === 'referral') qp += 0.12;
      const q = rLead.binomial(n, qp);
      leads.push([date, channel, n, q]);
      sum.leads += n;
      // The CRM holds the same enquiries one by one; which q of the n qualified is random.
      const flags = Array.from({ length: n }, (_, k) => k < q);
      for (let k = n - 1; k > 0; k--) {
        const j = rCrm.int(k + 1);
        [flags[k], flags[j]] = [flags[j], flags[k]];
      }
      for (const qualified of flags) crmLeads.push({ ...crmLead(rCrm, i, qualified, channel), channel, qualified });
    }
  }

  // Order ids follow the order time.
  orders.sort((a, b) => a.i - b.i || a.secs - b.secs || a.seq - b.seq);
  const perYear = new Map();
  const orderRows = orders.map((o) => {
    const y = o.date.slice(0, 4);
    const n = (perYear.get(y) ?? 0) + 1;
    perYear.set(y, n);
    const hh = pad(Math.floor(o.secs / 3600));
    const mm = pad(Math.floor((o.secs % 3600) / 60));
    const ss = pad(o.secs % 60);
    return [`SO-${y}-${pad(n, 6)}`, `${o.date}T${hh}:${mm}:${ss}+08:00`, o.customer, o.channel, o.region, o.device, money(o.cents), o.items, o.coupon];
  });

  // Hits in time order, as the tool exports them (the sessions interleave).
  hits.sort((a, b) => a.ms - b.ms || a.seq - b.seq);
  const hitRows = hits.map((h) => h.row);

  // CRM: lead ids follow the first contact; deals are in the export once won (by 2026-10-31).
  // Leads of late 2024 (not in the lead export) still close deals in 2025.
  const history = [];
  for (let i = -CRM_HISTORY; i < 0; i++) {
    const weekday = dateOf(i).wd >= 1 && dateOf(i).wd <= 5 ? 1.2 : 0.5;
    for (const channel of ['organic', 'paid_search', 'referral', 'direct']) {
      const n = rCrm.poisson({ organic: 1.15, paid_search: 0.7, referral: 0.45, direct: 0.55 }[channel] * weekday * 0.95);
      for (let k = 0; k < n; k++) history.push({ ...crmLead(rCrm, i, rCrm.next() < (channel === 'referral' ? 0.46 : 0.34), channel), channel });
    }
  }
  const leadId = new Map();
  const numberLeads = (list, first) => {
    const perYear = new Map();
    list.sort((a, b) => a.i - b.i || a.secs - b.secs);
    for (const l of list) {
      const y = dateOf(l.i).y;
      const n = (perYear.get(y) ?? first) + 1;
      perYear.set(y, n);
      leadId.set(l, `L-${y}-${pad(n, 4)}`);
    }
  };
  numberLeads(history, 820);
  numberLeads(crmLeads, 0);
  const crmRows = crmLeads.map((l) => {
    const hh = pad(Math.floor(l.secs / 3600));
    const mm = pad(Math.floor((l.secs % 3600) / 60));
    return [leadId.get(l), `${iso(dateOf(l.i))} ${hh}:${mm}`, l.channel, l.segment, l.qualified ? 'true' : 'false'];
  });
  const won = [...history, ...crmLeads].filter((l) => l.deal && l.deal.day >= 0 && l.deal.day < DAYS);
  won.sort((a, b) => a.deal.day - b.deal.day || a.i - b.i || a.secs - b.secs);
  const dealsPerYear = new Map();
  const dealRows = won.map((l) => {
    const c = dateOf(l.deal.day);
    const n = (dealsPerYear.get(c.y) ?? 0) + 1;
    dealsPerYear.set(c.y, n);
    if (l.i >= 0) summary.get(monthOf(dateOf(l.i))).deals++;
    return [`WD-${c.y}-${pad(n, 4)}`, leadId.get(l), iso(c), money(l.deal.cents), l.deal.rep];
  });

  return {
    files: [
      ['web_sessions.csv', csv(['date', 'channel', 'device', 'region', 'sessions', 'pageviews', 'bounces', 'session_seconds', 'visitors', 'product_views', 'add_to_carts', 'checkouts'], web)],
      ['orders.csv', csv(['order_id', 'ordered_at', 'customer_id', 'channel', 'region', 'device', 'amount', 'items', 'coupon'], orderRows)],
      ['ad_spend.csv', csv(['date', 'channel', 'campaign', 'impressions', 'clicks', 'spend'], ads)],
      ['social.csv', csv(['date', 'platform', 'followers', 'new_followers', 'lost_followers', 'reach', 'engagements', 'posts'], social)],
      ['email.csv', csv(['sent_at', 'campaign', 'segment', 'sent', 'delivered', 'opens', 'clicks', 'unsubscribes', 'conversions', 'revenue'], mail)],
      ['leads.csv', csv(['date', 'channel', 'leads', 'qualified_leads'], leads)],
      ['hits.csv', csv(['hit_time', 'visitor_id', 'visit_number', 'channel', 'device', 'page', 'session_revenue'], hitRows)],
      ['crm_leads.csv', csv(['lead_id', 'first_contact', 'channel', 'segment', 'qualified'], crmRows)],
      ['deals.csv', csv(['deal_id', 'lead_id', 'won_date', 'amount', 'sales_rep'], dealRows)],
    ],
    summary,
  };
}

// ---------------------------------------------------------------------------------------
// Main

const { files, summary } = generate();
mkdirSync(OUT, { recursive: true });
let total = 0;
console.log('file                 rows      bytes  sha256');
for (const [name, text] of files) {
  const buf = Buffer.from(text, 'utf8');
  writeFileSync(join(OUT, name), buf);
  total += buf.length;
  const rows = text.split('\n').length - 2; // minus header and the final newline
  const hash = createHash('sha256').update(buf).digest('hex').slice(0, 16);
  console.log(`${name.padEnd(18)} ${String(rows).padStart(6)} ${String(buf.length).padStart(10)}  ${hash}`);
}
console.log(`${'total'.padEnd(18)} ${''.padStart(6)} ${String(total).padStart(10)}  -> ${relative(ROOT, OUT)}/`);
console.log('');
console.log('month    sessions  orders  conv.  revenue(CNY)     AOV  ad_spend(CNY)  paid ROAS  new cust.  leads  hit sess.  deals');
for (const [m, s] of summary) {
  console.log(
    [
      m,
      String(s.sessions).padStart(9),
      String(s.orders).padStart(7),
      `${((100 * s.orders) / s.sessions).toFixed(2)}%`.padStart(6),
      money(s.cents).padStart(13),
      (s.cents / s.orders / 100).toFixed(2).padStart(7),
      money(s.spend).padStart(14),
      (s.paidCents / s.spend).toFixed(2).padStart(10),
      String(s.newCust).padStart(10),
      String(s.leads).padStart(6),
      String(s.hitSessions).padStart(10),
      String(s.deals).padStart(6),
    ].join(' '),
  );
}
console.log('sessions as recorded by web analytics (2025-08: mobile tracking outage); new cust. = first orders ever;');
console.log('paid ROAS = revenue of paid_search + social orders / ad spend; hit sess. = sessions in hits.csv (1 in 40);');
console.log('deals = deals won (by 2026-10-31) from the CRM leads of the month.');
