// One page of the site: its title in the tab and the heading, announced by
// screen readers when the route changes (focus moves to the heading).
import { useEffect, useRef, type ReactNode } from "react";

export function Page({ title, children, lead }: { title: string; children: ReactNode; lead?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – Séjour`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: false });
  }, []);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {lead ? <p className="fr-text--lead">{lead}</p> : null}
      {children}
    </>
  );
}
