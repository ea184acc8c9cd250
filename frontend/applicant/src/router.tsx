// A small router over the History API: the site has a dozen pages and no
// nested layouts, and a general router would be a fifth of the first load.
// The names follow react-router's (Link, useNavigate, useParams…).
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from "react";

type Location = { pathname: string; search: string; hash: string };

function here(): Location {
  const { pathname, search, hash } = window.location;
  return { pathname, search, hash };
}

type RouterState = { location: Location; params: Record<string, string> };
const Context = createContext<RouterState>({ location: { pathname: "/", search: "", hash: "" }, params: {} });

const listeners = new Set<() => void>();

/** Go to `to` (a path with its query), as a click on a link does. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  listeners.forEach((l) => l());
  if (!to.includes("#")) window.scrollTo(0, 0);
}

/** `/applications/:id/steps/:step` against a path: the parameters, or null. */
export function match(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const got = pathname.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** Renders what `pick` chooses for the current location; follows back and forward. */
export function Router({ pick }: { pick: (pathname: string) => { params: Record<string, string>; element: ReactNode } }) {
  const [location, setLocation] = useState(here);
  useEffect(() => {
    const update = () => setLocation(here());
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  const { params, element } = pick(location.pathname);
  const value = useMemo(() => ({ location, params }), [location, params]);
  return <Context.Provider value={value}>{element}</Context.Provider>;
}

export function useLocation(): Location {
  return useContext(Context).location;
}

export function useParams(): Record<string, string> {
  return useContext(Context).params;
}

export function useSearchParams(): URLSearchParams {
  const { search } = useLocation();
  return useMemo(() => new URLSearchParams(search), [search]);
}

export function useNavigate(): (to: string, options?: { replace?: boolean }) => void {
  return useCallback((to: string, options?: { replace?: boolean }) => navigate(to, options), []);
}

export type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to?: string; href?: string };

/** An `<a>` that changes page without reloading (a modified click opens a tab as usual). */
export function Link({ to, href, onClick, children, ...rest }: LinkProps) {
  const target = to ?? href ?? "#";
  const internal = target.startsWith("/") && !target.startsWith("//") && !target.startsWith("/api/");
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || !internal || rest.target || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(target);
  };
  return (
    <a href={target} onClick={click} {...rest}>
      {children}
    </a>
  );
}

/** Replaces the current page with `to` once rendered. */
export function Navigate({ to, replace }: { to: string; replace?: boolean }) {
  useEffect(() => navigate(to, { replace }), [to, replace]);
  return null;
}
