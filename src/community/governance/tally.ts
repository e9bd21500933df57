/** Counting a proposal's votes and deciding it: pure arithmetic over the frozen electorate. */
import type { Proposal } from './state';

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
  notVoted: number;
  needed: number;
  electorate: number;
}

export function tally(proposal: Proposal): Tally {
  const counts = { yes: 0, no: 0, abstain: 0 };
  for (const vote of proposal.votes.values()) counts[vote.choice]++;
  const electorate = proposal.electorate.length;
  return {
    ...counts,
    notVoted: electorate - proposal.votes.size,
    needed: proposal.needed,
    electorate,
  };
}

/**
 * Passed the moment yes-votes reach what is needed; failed the moment they no longer can, even
 * if every voter yet to vote said yes. Otherwise still open (until its deadline).
 */
export function decide(proposal: Proposal): 'passed' | 'failed' | null {
  // What tally() gives, counted without building it: a cold open decides thousands of votes.
  let yes = 0;
  for (const vote of proposal.votes.values()) if (vote.choice === 'yes') yes++;
  const notVoted = proposal.electorate.length - proposal.votes.size;
  if (yes >= proposal.needed) return 'passed';
  if (yes + notVoted < proposal.needed) return 'failed';
  return null;
}
