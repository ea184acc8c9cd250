// A message that appears after an action (a refusal, a success): focus
// moves to it, so that screen readers read it and keyboards start there.
import { useEffect, useRef, type ReactNode } from "react";

export function Focus({ children, when }: { children: ReactNode; when: unknown }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (when) box.current?.focus();
  }, [when]);
  if (!when) return null;
  return (
    <div ref={box} tabIndex={-1} className="sj-focus">
      {children}
    </div>
  );
}
