// Who is logged in: the profile from GET /api/me, shared by every page.
// The session itself is the HttpOnly cookie the API sets; the site never
// sees the token.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { Navigate, useLocation } from "./router";
import { api, type Schemas } from "./api/client";
import { isLang, useLang } from "./i18n";

export type Profile = Schemas["Profile"];

type Session = {
  /** `undefined` while the first answer is awaited, `null` when logged out. */
  profile: Profile | null | undefined;
  refresh: () => Promise<Profile | null>;
  logout: () => Promise<void>;
};

const Context = createContext<Session>({
  profile: undefined,
  refresh: async () => null,
  logout: async () => {},
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [profile, setProfile] = useState<Profile | null | undefined>(undefined);
  const { setLang } = useLang();
  const refresh = useCallback(async () => {
    try {
      const { data, response } = await api.GET("/api/me");
      const next = response.ok && data ? data : null;
      setProfile(next);
      return next;
    } catch {
      setProfile(null);
      return null;
    }
  }, []);
  const logout = useCallback(async () => {
    await api.POST("/api/auth/logout").catch(() => undefined);
    setProfile(null);
  }, []);
  useEffect(() => {
    const url = new URLSearchParams(window.location.search).get("lang");
    void refresh().then((p) => {
      // The account's language wins, unless the address names one (an email's link).
      if (p && !isLang(url) && isLang(p.language)) setLang(p.language);
    });
  }, [refresh, setLang]);
  const value = useMemo(() => ({ profile, refresh, logout }), [profile, refresh, logout]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): Session {
  return useContext(Context);
}

/** Pages of the account: the login page first, then back here. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const { profile } = useSession();
  const location = useLocation();
  if (profile === undefined) return <p className="fr-sr-only" role="status">…</p>;
  if (profile === null) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}
