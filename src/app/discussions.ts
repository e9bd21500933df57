/**
 * The discussion actions of a CommunityHandle: start a thread, reply, edit, delete, react. Text
 * is checked here first so a person gets a plain reason before anything is signed; each event
 * names the post it acts on in its deps, so every peer applies it after that post (see
 * community/discussions/transforms.ts).
 */
import type { CommunityDoc } from '../community/community-doc';
import { LIMITS } from '../community/limits';
import type { CommunityHandle } from '../ui/api';
import { write } from './errors';

type DiscussionActions = Pick<CommunityHandle, 'createPost' | 'editPost' | 'deletePost' | 'react'>;

export function discussionActions(cdoc: CommunityDoc): DiscussionActions {
  return {
    createPost: ({ text, title, parent, mentions = [], attachments = [] }) => {
      // Only members, each once, within the cap every peer's ingest enforces.
      const { members, files } = cdoc.state();
      const called = [...new Set(mentions)].filter((m) => members.has(m));
      // Only files shared in this community (the composer posts their manifests first).
      const attached = [...new Set(attachments)].filter((f) => files.has(f));
      const body = {
        text: text.trim(),
        ...(title?.trim() && parent === undefined ? { title: title.trim() } : {}),
        ...(parent === undefined ? {} : { parent }),
        ...(called.length > 0 ? { mentions: called } : {}),
        ...(attached.length > 0 ? { attachments: attached } : {}),
      };
      return write(
        () => cdoc.append('post.create', body, parent ? [parent] : []),
        textProblem(body.text, body.title) ??
          (called.length > LIMITS.mentions
            ? `The post mentions ${called.length} members; the limit is ${LIMITS.mentions}.`
            : null) ??
          (attached.length > LIMITS.attachments
            ? `The post carries ${attached.length} files; the limit is ${LIMITS.attachments}.`
            : null),
      );
    },
    editPost: (post, text, title) => {
      const body = { post, text: text.trim(), ...(title?.trim() ? { title: title.trim() } : {}) };
      return write(
        () => cdoc.append('post.edit', body, [post]),
        textProblem(body.text, body.title),
      );
    },
    deletePost: (post) => write(() => cdoc.append('post.delete', { post }, [post]), null),
    react: (post, emoji, on) =>
      write(() => cdoc.append('reaction.set', { post, emoji, on }, [post]), null),
  };
}

/** Why this text cannot be posted, in plain words, or null. Mirrors the ingest limits. */
export function textProblem(text: string, title?: string): string | null {
  const length = [...text].length;
  if (length === 0) return 'The post is empty.';
  if (length > LIMITS.postText)
    return `The post is ${length.toLocaleString('en')} characters; the limit is ${LIMITS.postText.toLocaleString('en')}.`;
  const titleLength = title === undefined ? 0 : [...title].length;
  if (titleLength > LIMITS.postTitle)
    return `The title is ${titleLength} characters; the limit is ${LIMITS.postTitle}.`;
  return null;
}
