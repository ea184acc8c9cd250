// One application as its applicant sees it, shared by the pages of the six
// steps: GET /api/applications/{id} with its ETag (the version to send back
// as If-Match when saving). A 401 sends to the login page, then back here.
import { useCallback, useEffect, useState } from "react";
import { api, ApiFailure, etagOf, type Schemas } from "../../api/client";
import { navigate } from "../../router";

export type ApplicationView = Schemas["ApplicationView"];

export type LoadedApplication = {
  /** `undefined` while loading (and after a failure: see `error`). */
  application: ApplicationView | undefined;
  /** The ETag of `application` (`"<version>"`), for `If-Match`. */
  etag: string;
  /** Why the load failed (404: not this applicant's; 0: network). */
  error: ApiFailure | null;
  /** Load again from the API (after a version conflict, for instance). */
  reload: () => Promise<void>;
  /** How many times `reload` brought a new version: forms key on it to start again from the API's data. */
  reloads: number;
  /** Take the answer of a save (PUT …/steps/…, POST …/review/…) as the current version. */
  setFromSave: (view: ApplicationView, etag: string | null) => void;
};

/** The login page, then back to where we are. */
export function toLogin(): void {
  const next = encodeURIComponent(window.location.pathname + window.location.search);
  navigate(`/login?next=${next}`, { replace: true });
}

export function useApplication(id: string): LoadedApplication {
  const [application, setApplication] = useState<ApplicationView | undefined>(undefined);
  const [etag, setEtag] = useState("");
  const [error, setError] = useState<ApiFailure | null>(null);
  const [reloads, setReloads] = useState(0);

  const load = useCallback(async (): Promise<boolean> => {
    try {
      const { data, error: problem, response } = await api.GET("/api/applications/{id}", { params: { path: { id } } });
      if (response.status === 401) {
        toLogin();
        return false;
      }
      if (!response.ok || !data) {
        const p = problem && typeof problem === "object" && "code" in problem ? (problem as Schemas["Problem"]) : null;
        setError(new ApiFailure(response.status, p));
        return false;
      }
      setError(null);
      setApplication(data);
      // Without the header (it is always sent), the version is the same thing.
      setEtag(etagOf(response) ?? `"${data.version}"`);
      return true;
    } catch {
      setError(new ApiFailure(0, null));
      return false;
    }
  }, [id]);

  useEffect(() => {
    setApplication(undefined);
    void load();
  }, [load]);

  const reload = useCallback(async () => {
    if (await load()) setReloads((n) => n + 1);
  }, [load]);

  const setFromSave = useCallback((view: ApplicationView, tag: string | null) => {
    setApplication(view);
    setEtag(tag ?? `"${view.version}"`);
  }, []);

  return { application, etag, error, reload, reloads, setFromSave };
}
