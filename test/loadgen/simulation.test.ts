import { expect } from 'chai';
import type { UsersConfig } from '../../src/loadgen/config';
import { MinHeap } from '../../src/loadgen/heap';
import { SeededRandom } from '../../src/loadgen/random';
import { AdPool, Simulation, type SimulationSink } from '../../src/loadgen/simulation';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Seen {
  kind: 'impression' | 'click';
  impressionId: string;
  adId: string;
  at: number;
  clickId?: string;
  token: number;
}

/** A sink that keeps every event; tokens count the impressions. */
function recorder(): SimulationSink & { events: Seen[] } {
  const events: Seen[] = [];
  return {
    events,
    impression(impressionId, adId, at) {
      events.push({ kind: 'impression', impressionId, adId, at, token: events.length });
      return events.length - 1;
    },
    click(clickId, impressionId, adId, at, token) {
      events.push({ kind: 'click', clickId, impressionId, adId, at, token });
    },
  };
}

const USERS: UsersConfig = {
  count: 200,
  clickthroughProbability: 0.3,
  viewFrequencyMs: 100,
  viewVariance: 0.1,
  considerDurationMs: 50,
  considerVariance: 0.2,
};

function simulate(users: UsersConfig, ms: number, seed = 7, ads = 50) {
  const random = new SeededRandom(seed);
  const sink = recorder();
  const pool = new AdPool(ads, random);
  const simulation = new Simulation(users, pool, random, sink, 0);
  for (let t = 0; t <= ms; t += 10) simulation.advance(t);
  return { events: sink.events, simulation, pool };
}

describe('loadgen simulation', () => {
  it('has every user view an ad once per view interval', () => {
    // given 200 users viewing every 100 ms
    // when 10 s pass
    const { events } = simulate(USERS, 10_000);
    // then about 200 × 100 impressions happen
    const impressions = events.filter((e) => e.kind === 'impression').length;
    expect(impressions).to.be.within(19_600, 20_400);
  });

  it('spreads the first views over one interval instead of starting them all at once', () => {
    // given / when
    const { events } = simulate(USERS, 100);
    // then the first interval holds one view a user, spread over its four quarters
    const first = events.filter((e) => e.kind === 'impression' && e.at < 90);
    const quarters = [0, 1, 2, 3].map((q) => first.filter((e) => e.at >= q * 22.5 && e.at < (q + 1) * 22.5).length);
    for (const count of quarters) expect(count).to.be.within(25, 75);
  });

  it("keeps the intervals between one user's views within the variance", () => {
    // given one user, so that consecutive impressions are its own
    const one = { ...USERS, count: 1, clickthroughProbability: 0 };
    // when
    const { events } = simulate(one, 20_000);
    // then
    const gaps = events.slice(1).map((e, i) => e.at - events[i]!.at);
    expect(gaps.length).to.be.greaterThan(150);
    expect(Math.min(...gaps)).to.be.at.least(90);
    expect(Math.max(...gaps)).to.be.at.most(110);
    expect(Math.max(...gaps) - Math.min(...gaps)).to.be.greaterThan(10); // it does vary
  });

  it('clicks with the configured probability, within a tolerance', () => {
    // given / when
    const { events } = simulate(USERS, 20_000);
    // then
    const impressions = events.filter((e) => e.kind === 'impression').length;
    const clicks = events.filter((e) => e.kind === 'click').length;
    expect(clicks / impressions).to.be.within(0.28, 0.32);
  });

  it('clicks only on an impression already made, after the consider duration ± its variance', () => {
    // given / when
    const { events } = simulate(USERS, 5000);
    // then
    const byId = new Map(events.filter((e) => e.kind === 'impression').map((e) => [e.impressionId, e]));
    const clicks = events.filter((e) => e.kind === 'click');
    expect(clicks.length).to.be.greaterThan(0);
    for (const click of clicks) {
      const impression = byId.get(click.impressionId);
      expect(impression, click.impressionId).to.not.equal(undefined);
      expect(events.indexOf(impression!)).to.be.lessThan(events.indexOf(click));
      expect(click.adId).to.equal(impression!.adId);
      expect(click.token).to.equal(impression!.token);
      expect(click.at - impression!.at).to.be.within(40, 60);
      expect(click.clickId).to.match(UUID_V4);
    }
  });

  it('emits events in time order, each by the time it is due', () => {
    // given / when
    const { events } = simulate(USERS, 3000);
    // then
    for (let i = 1; i < events.length; i++) expect(events[i]!.at).to.be.at.least(events[i - 1]!.at);
  });

  it('picks ads from a fixed pool of Ads.Count random UUIDs', () => {
    // given / when
    const { events, pool } = simulate(USERS, 5000, 3, 50);
    // then
    const poolIds = new Set(Array.from({ length: 50 }, (_, i) => pool.id(i)));
    expect(poolIds.size).to.equal(50);
    const seen = new Set(events.map((e) => e.adId));
    for (const id of seen) expect(poolIds.has(id), id).to.equal(true);
    expect(seen.size).to.equal(50);
    for (const id of poolIds) expect(id).to.match(UUID_V4);
  });

  it('gives every impression a fresh UUID', () => {
    // given / when
    const { events } = simulate(USERS, 5000);
    // then
    const ids = events.filter((e) => e.kind === 'impression').map((e) => e.impressionId);
    expect(new Set(ids).size).to.equal(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).to.match(UUID_V4);
  });

  it('replays exactly under the same seed and differs under another', () => {
    // given / when
    const a = simulate(USERS, 1000, 42).events;
    const b = simulate(USERS, 1000, 42).events;
    const c = simulate(USERS, 1000, 43).events;
    // then
    expect(a).to.deep.equal(b);
    expect(c[0]!.impressionId).to.not.equal(a[0]!.impressionId);
  });

  it('stamps events with the offset it is given', () => {
    // given
    const random = new SeededRandom(1);
    const sink = recorder();
    const simulation = new Simulation({ ...USERS, count: 3 }, new AdPool(2, random), random, sink, 1000);
    // when
    simulation.advance(1100, 5000);
    // then
    expect(sink.events.length).to.be.greaterThan(0);
    for (const e of sink.events) expect(e.at).to.be.within(6000, 6100);
  });

  it('counts clicks still being considered', () => {
    // given a consider duration far beyond the run
    const slow = { ...USERS, clickthroughProbability: 1, considerDurationMs: 60_000 };
    // when
    const { simulation } = simulate(slow, 500);
    // then
    const counts = simulation.counts;
    expect(counts.clicks).to.equal(0);
    expect(counts.pendingClicks).to.equal(counts.impressions);
  });
});

describe('loadgen schedule heap', () => {
  it('hands items back in time order however they were pushed and rescheduled', () => {
    // given
    const random = new SeededRandom(9);
    const heap = new MinHeap<{ at: number }>();
    for (let i = 0; i < 1000; i++) heap.push({ at: random.next() * 1000 });
    // when the earliest items are moved later a few hundred times
    for (let i = 0; i < 300; i++) {
      heap.peek()!.at += random.next() * 500;
      heap.rescheduleTop();
    }
    // then
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.pop()!.at);
    expect(out).to.have.length(1000);
    expect(out).to.deep.equal([...out].sort((x, y) => x - y));
  });
});
