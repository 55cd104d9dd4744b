import { linkify, safeHref } from '@beckon/sdk/core';

/**
 * Visitor (and agent) text as text nodes, with http(s) links as real `<a>` elements. Nothing is ever
 * set as HTML: Preact renders every segment as a text node or an attribute value.
 */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((segment, index) =>
        segment.type === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer nofollow">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}

/** A visitor-supplied URL (current page, referrer): a link when it is http(s), plain text otherwise. */
export function ExternalUrl({ url, label, class: className }: { url: string; label?: string; class?: string }) {
  const href = safeHref(url);
  if (!href) return <span class={className}>{label ?? url}</span>;
  return (
    <a class={className} href={href} target="_blank" rel="noopener noreferrer nofollow" title={url}>
      {label ?? url}
    </a>
  );
}
