/**
 * A community's id is derived from its founder's key and a nonce, so only the founder can
 * write the one `community.create` event that counts: no one can squat on an id from a link.
 */
import { fromBase64url, toBase64url } from '../shared/base64url';
import { concatBytes, sha256, utf8 } from '../shared/bytes';
import type { CommunityId, MemberId } from '../shared/ids';

export async function deriveCommunityId(
  founder: MemberId,
  nonce: string,
): Promise<CommunityId | null> {
  const key = fromBase64url(founder);
  const n = fromBase64url(nonce);
  if (!key || !n) return null;
  return toBase64url(await sha256(concatBytes(utf8('moot/community/v1'), key, n))) as CommunityId;
}
