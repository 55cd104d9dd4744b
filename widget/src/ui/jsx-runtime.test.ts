import { type FunctionComponent, options, type VNode } from 'preact';
import * as preact from 'preact/jsx-runtime';
import { describe, expect, it } from 'vitest';
import * as ours from './jsx-runtime.js';

/** What rendering reads of a vnode (its id and the debugging fields differ by design). */
const shape = ({ type, props, key, ref }: VNode) => ({ type, props, key, ref });

const Greeting: FunctionComponent<{ name?: string; children?: unknown }> = ({ name }) => name ?? null;
Greeting.defaultProps = { name: 'visitor' };
const ref = { current: null };
const cases: [Parameters<typeof ours.jsx>[0], Record<string, unknown>, (string | number)?][] = [
  ['div', { class: 'bk-msg', children: 'Hi <b>' }],
  ['li', { class: 'bk-msg', children: ['a', 'b'] }, 'm1'],
  ['input', { id: 'bk-p-email', ref, 'aria-invalid': undefined }, 3],
  [Greeting, { children: 'x' }],
  [Greeting, { name: 'Anna' }, 'g'],
  [ours.Fragment, { children: ['a'] }],
];

describe("the widget's JSX runtime", () => {
  it("makes the vnodes preact/jsx-runtime makes, through Preact's options.vnode", () => {
    const seen: VNode[] = [];
    const previous = options.vnode;
    options.vnode = (vnode) => seen.push(vnode);
    try {
      for (const [type, props, key] of cases) {
        const expected = shape(preact.jsx(type as never, { ...props }, key as never));
        expect(shape(ours.jsx(type, { ...props }, key))).toEqual(expected);
        expect(shape(ours.jsxs(type, { ...props }, key))).toEqual(expected);
      }
    } finally {
      options.vnode = previous;
    }
    expect(seen).toHaveLength(cases.length * 3);
    expect(ours.Fragment).toBe(preact.Fragment);
  });
});
