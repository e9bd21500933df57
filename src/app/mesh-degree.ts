/**
 * How many links each peer keeps (topology.ts): `?degree=N` in the page URL, else the
 * `moot.meshDegree` setting in localStorage, else 6. Read once at start. A community of up to
 * degree + 1 members is a full mesh either way; above that each peer keeps `degree` links and
 * updates travel by gossip (docs/scale.md). Both sources are the user's to set, so anything
 * that is not a whole number in range falls back to the default, with a console warning.
 */
import { DEFAULT_DEGREE } from '../mesh/topology';

export const MESH_DEGREE_SETTING = 'moot.meshDegree';
const MIN_DEGREE = 2;
const MAX_DEGREE = 32;

export function meshDegreeFrom(query: string | null, stored: string | null): number {
  const raw = query ?? stored;
  if (raw === null) return DEFAULT_DEGREE;
  const degree = /^\d{1,3}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (degree >= MIN_DEGREE && degree <= MAX_DEGREE) return degree;
  console.warn(
    `Ignoring mesh degree "${raw}": it must be a whole number from ${MIN_DEGREE} to ${MAX_DEGREE}. Using ${DEFAULT_DEGREE}.`,
  );
  return DEFAULT_DEGREE;
}

/** The page's setting: URL first (one visit), then localStorage (every visit). */
export function readMeshDegree(): number {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(MESH_DEGREE_SETTING);
  } catch {
    // Storage blocked (private mode, policy): the URL or the default still apply.
  }
  return meshDegreeFrom(new URLSearchParams(location.search).get('degree'), stored);
}
