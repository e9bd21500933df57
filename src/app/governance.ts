/**
 * The governance actions of a CommunityHandle: propose, vote, hide and unhide. Input is checked
 * with the same validators peers run at ingest, so a person gets a plain reason before anything
 * is signed. Each event names what it acts on in its deps (a vote its proposal, a hide its
 * post), so every peer applies it after that (community/governance/).
 */
import type { CommunityDoc } from '../community/community-doc';
import { validatePostModeration, validateProposalCreate } from '../community/governance/bodies';
import type { Result } from '../shared/result';
import type { CommunityHandle } from '../ui/api';
import { write } from './errors';

type GovernanceActions = Pick<CommunityHandle, 'propose' | 'vote' | 'hidePost' | 'unhidePost'>;

export function governanceActions(cdoc: CommunityDoc): GovernanceActions {
  return {
    propose: (change, reason) => {
      const body = { change, reason: reason.trim() };
      return write(
        () => cdoc.append('proposal.create', body),
        problem(validateProposalCreate(body)),
      );
    },
    vote: (proposal, choice) =>
      write(() => cdoc.append('vote.cast', { proposal, choice }, [proposal]), null),
    hidePost: (post, reason) => {
      const body = { post, reason: reason.trim() };
      return write(
        () => cdoc.append('post.hide', body, [post]),
        problem(validatePostModeration(body)),
      );
    },
    unhidePost: (post, reason) => {
      const body = { post, reason: reason.trim() };
      return write(
        () => cdoc.append('post.unhide', body, [post]),
        problem(validatePostModeration(body)),
      );
    },
  };
}

/** The validator's complaint as a sentence a person can act on, or null. */
function problem(result: Result<void>): string | null {
  if (result.ok) return null;
  const text = result.error.replace(/^./, (c) => c.toUpperCase());
  return `${text}.`;
}
