import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CommunityDoc } from '../community/community-doc';
import { foundTestCommunity } from '../community/test-helpers';
import { EVENTS_MAP } from '../community/validate-update';
import { shareWithOtherTabs, tabChannelName } from './tab-channel';

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

/** Node delivers BroadcastChannel messages between instances of one process, like tabs. */
async function twoTabs() {
  const t = await foundTestCommunity();
  const community = t.founded.community;
  const second = new Y.Doc();
  Y.applyUpdate(second, Y.encodeStateAsUpdate(t.doc));
  const tab2 = await CommunityDoc.open(second, community, t.founder);
  stops.push(shareWithOtherTabs(community, t.doc), shareWithOtherTabs(community, second));
  return { t, tab1: t.cdoc, tab2, community };
}

const texts = (cdoc: CommunityDoc) => cdoc.state().posts.map((p) => p.text);

describe('two tabs of one profile', () => {
  it('see each other’s posts without a reload, each at its own clientID', async () => {
    const { tab1, tab2 } = await twoTabs();
    expect(tab1.doc.clientID).not.toBe(tab2.doc.clientID);
    await tab1.append('post.create', { text: 'from tab 1' });
    await expect.poll(() => texts(tab2)).toContain('from tab 1');
    await tab2.append('post.create', { text: 'from tab 2' });
    await expect.poll(() => texts(tab1)).toContain('from tab 2');
    expect(Y.encodeStateVector(tab1.doc)).toEqual(Y.encodeStateVector(tab2.doc));
  });

  it('pass nothing on twice: a received update is not sent back out', async () => {
    const { tab1, community } = await twoTabs();
    const listener = new BroadcastChannel(tabChannelName(community));
    const heard: unknown[] = [];
    listener.onmessage = (e) => heard.push(e.data);
    stops.push(() => listener.close());
    await tab1.append('post.create', { text: 'once' });
    await new Promise((r) => setTimeout(r, 200));
    // One from tab 1; tab 2 applied it without broadcasting it again.
    expect(heard).toHaveLength(1);
  });

  it('ignore a forged update on the channel, like one from a peer', async () => {
    const { tab1, tab2, community } = await twoTabs();
    const forger = new Y.Doc();
    forger.getMap(EVENTS_MAP).set('forged', { event: new Uint8Array(10), sig: new Uint8Array(64) });
    const channel = new BroadcastChannel(tabChannelName(community));
    stops.push(() => channel.close());
    channel.postMessage(Y.encodeStateAsUpdate(forger));
    channel.postMessage('not an update');
    await tab1.append('post.create', { text: 'after the forgery' });
    await expect.poll(() => texts(tab2)).toContain('after the forgery');
    expect(tab2.doc.getMap(EVENTS_MAP).has('forged')).toBe(false);
    expect(tab1.doc.getMap(EVENTS_MAP).has('forged')).toBe(false);
  });
});
