import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { href as appHref, isPlainLeftClick, navigate } from '../router';

type LinkProps = Omit<JSX.AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  /** In-app path, e.g. `/sites/demo/live`. */
  to: string;
};

/** An `<a>` with a real href (middle-click, copy link work) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={appHref(to)}
      onClick={(event) => {
        if (typeof onClick === 'function') onClick(event);
        if (event.defaultPrevented || !isPlainLeftClick(event)) return;
        event.preventDefault();
        navigate(to);
      }}
    />
  );
}

/** Replaces the URL once on mount: for index routes that forward elsewhere. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
