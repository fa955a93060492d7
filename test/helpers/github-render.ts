// Judges sanitised Markdown the way a reader on GitHub meets it: rendered by a real CommonMark + GFM
// renderer (micromark with its GFM extension), then scanned for what GitHub would make live.
//
// micromark renders CommonMark and GFM (tables, autolink literals, strikethrough, task lists) but not
// GitHub's own text filters: @mentions, team mentions, issue and commit references are linked by
// GitHub after rendering, in every text node that is not inside <a>, <code> or <pre>. Those rules are
// written here from GitHub's documentation ("Autolinked references and URLs", "Mentioning people and
// teams"), deliberately broader than GitHub (any `@name` after a non-word character, any
// owner/repo#N), so a pass here means GitHub would link nothing of the model's choosing.
import { compile, micromark, parse, postprocess, preprocess } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

export interface Repository {
  serverUrl: string;
  owner: string;
  repo: string;
}

const GFM = [gfm()];
const GFM_HTML = [gfmHtml()];

/** HTML as GitHub's Markdown pipeline would build it (before its own sanitising filter). */
export function renderGfm(markdown: string, allowDangerousHtml = true): string {
  return micromark(markdown, { allowDangerousHtml, extensions: GFM, htmlExtensions: GFM_HTML });
}

interface HtmlPiece {
  tag?: { name: string; closing: boolean; attributes: Record<string, string> };
  text?: string;
  comment?: string;
}

function decodeHtmlText(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** micromark's output is regular: tags (attribute values escaped), comments (raw HTML only) and escaped text. */
function htmlPieces(html: string): HtmlPiece[] {
  const pieces: HtmlPiece[] = [];
  for (const match of html.matchAll(/<!--[\s\S]*?(?:-->|$)|<(\/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>|[^<]+|</g)) {
    const [whole, slash, name, attributeText] = match;
    if (whole.startsWith('<!--')) pieces.push({ comment: whole });
    else if (name !== undefined) {
      const attributes: Record<string, string> = {};
      for (const attribute of (attributeText ?? '').matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)) {
        attributes[attribute[1]!.toLowerCase()] = decodeHtmlText(attribute[2] ?? '');
      }
      pieces.push({ tag: { name: name.toLowerCase(), closing: slash === '/', attributes } });
    } else pieces.push({ text: decodeHtmlText(whole) });
  }
  return pieces;
}

/** One parse: the HTML, and the raw HTML micromark found (flow or inline), for the check. */
function parseGfm(markdown: string): { html: string; rawHtml: string[] } {
  const events = postprocess(
    parse({ extensions: [gfm()] })
      .document()
      .write(preprocess()(markdown, undefined, true)),
  );
  const rawHtml = events
    .filter(([kind, token]) => kind === 'enter' && (token.type === 'htmlFlow' || token.type === 'htmlText'))
    .map(([, token, context]) => context.sliceSerialize(token));
  return { html: compile({ allowDangerousHtml: true, htmlExtensions: GFM_HTML })(events), rawHtml };
}

/** Whether a link target stays inside the repository (after the browser resolves `..` and escapes). */
export function isRepositoryUrl(href: string, repository: Repository): boolean {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  const server = new URL(repository.serverUrl);
  const base = `${server.pathname.replace(/\/+$/, '')}/${repository.owner}/${repository.repo}`.toLowerCase();
  const path = url.pathname.toLowerCase();
  return url.origin === server.origin && !url.username && !url.password && (path === base || path.startsWith(`${base}/`));
}

const USERNAME = '[A-Za-z0-9][A-Za-z0-9-]*';
// GitHub: a mention is `@user` or `@org/team` after the start of a text or a non-word character.
const MENTION = new RegExp(`(?:^|[^A-Za-z0-9])@${USERNAME}(?:/[A-Za-z0-9][A-Za-z0-9_-]*)?`, 'g');
// GitHub: `owner/repo#12` (issues, pull requests, discussions), `owner/repo@sha`, `owner@sha`.
const CROSS_REFERENCE = /([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)#\d+|[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)?@[0-9a-f]{7,40}\b/gi;
// GFM's extended autolinks and e-mail autolinks, wherever they stand (broader than GFM itself).
const BARE_LINK = /(?:https?|ftp):\/\/|www\.|[A-Za-z0-9._+-]+@[A-Za-z0-9_-]+\.[A-Za-z0-9]/gi;

/** Tags CommonMark + GFM produce from Markdown syntax; anything else reached the page as raw HTML. */
const MARKDOWN_TAGS = new Set(
  'p a code pre em strong del ul ol li blockquote h1 h2 h3 h4 h5 h6 hr br img table thead tbody tr th td input section sup'.split(
    ' ',
  ),
);

export interface Live {
  mentions: string[];
  crossReferences: string[];
  bareLinks: string[];
  foreignLinks: string[];
  images: string[];
  rawHtml: string[];
  structure: string[];
  /** The rendered HTML the findings come from. */
  html: string;
}

/**
 * Everything in `markdown` that GitHub would make live although the repository did not choose it:
 * mentions and cross-repository references in text outside links and code, link targets outside the
 * repository, images, raw HTML (tags or comments), and page structure (headings, rules, tables).
 */
export function liveConstructs(markdown: string, repository: Repository): Live {
  const { html, rawHtml } = parseGfm(markdown);
  const live: Live = {
    mentions: [],
    crossReferences: [],
    bareLinks: [],
    foreignLinks: [],
    images: [],
    rawHtml,
    structure: [],
    html,
  };
  const ownRepository = `${repository.owner}/${repository.repo}`.toLowerCase();
  let inert = 0; // depth inside <a>, <code>, <pre>: GitHub's filters skip those
  for (const piece of htmlPieces(html)) {
    if (piece.comment !== undefined) {
      live.rawHtml.push(piece.comment);
      continue;
    }
    if (piece.tag) {
      const { name, closing, attributes } = piece.tag;
      if (!MARKDOWN_TAGS.has(name)) live.rawHtml.push(`<${name}>`);
      if (['a', 'code', 'pre'].includes(name)) inert += closing ? -1 : 1;
      if (closing) continue;
      if (name === 'a' && !isRepositoryUrl(attributes.href ?? '', repository)) live.foreignLinks.push(attributes.href ?? '');
      if (name === 'img') live.images.push(attributes.src ?? '');
      if (/^(h[1-6]|hr|table|input)$/.test(name)) live.structure.push(`<${name}>`);
      continue;
    }
    if (inert > 0 || piece.text === undefined) continue;
    const text = piece.text;
    live.mentions.push(...[...text.matchAll(MENTION)].map((m) => m[0].trim()));
    for (const match of text.matchAll(CROSS_REFERENCE)) {
      if (match[1] === undefined || match[1].toLowerCase() !== ownRepository) live.crossReferences.push(match[0]);
    }
    live.bareLinks.push(...[...text.matchAll(BARE_LINK)].map((m) => m[0]));
  }
  return live;
}

/** The kinds of live construct found, with what was found (empty when none); `ignore`: kinds the caller built itself. */
export function liveKinds(live: Live, ignore: (keyof Live)[] = []): string[] {
  return Object.entries(live)
    .filter(([kind, found]) => kind !== 'html' && !ignore.includes(kind as keyof Live) && (found as string[]).length > 0)
    .map(([kind, found]) => `${kind}: ${JSON.stringify(found)}`);
}
