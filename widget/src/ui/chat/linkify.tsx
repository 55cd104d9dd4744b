import type { ComponentChildren } from 'preact';
import { linkify as segments } from '@beckon/sdk/core';

/**
 * A message's text as Preact children: the sdk's segments (shared with the dashboard's inbox) as text
 * nodes, never HTML, and http(s) links as anchors that open in a new tab without handing the page a
 * reference or a referrer.
 */
export function linkify(text: string): ComponentChildren[] {
  return segments(text).map((segment) =>
    segment.type === 'link' ? (
      <a href={segment.href} target="_blank" rel="noopener noreferrer nofollow">
        {segment.text}
      </a>
    ) : (
      segment.text
    ),
  );
}
