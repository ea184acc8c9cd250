// The deployment's settings, read once from /config.json (a static file that
// each deployment may replace, so that one build serves them all):
// - `addressApi`: the national address base's search endpoint
//   (`https://api-adresse.data.gouv.fr/search/` in production), or null for
//   plain manual address fields (local mode, tests, no network).
import { useEffect, useState } from "react";

export type Config = {
  addressApi: string | null;
};

const DEFAULTS: Config = { addressApi: null };

let loading: Promise<Config> | null = null;
let loaded: Config | null = null;

/** Only an absolute http(s) address is taken; anything else means "none". */
function url(value: unknown): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  try {
    const parsed = new URL(value);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/** The settings; a missing or broken file gives the defaults. */
export function loadConfig(): Promise<Config> {
  loading ??= fetch("/config.json", { credentials: "same-origin", cache: "no-cache" })
    .then((r) => (r.ok ? r.json() : {}))
    .catch(() => ({}))
    .then((raw: unknown) => {
      const obj = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
      loaded = { ...DEFAULTS, addressApi: url(obj.addressApi) };
      return loaded;
    });
  return loading;
}

/** The settings once loaded (`undefined` until then). */
export function useConfig(): Config | undefined {
  const [config, setConfig] = useState<Config | undefined>(loaded ?? undefined);
  useEffect(() => {
    if (config) return;
    let live = true;
    void loadConfig().then((c) => {
      if (live) setConfig(c);
    });
    return () => {
      live = false;
    };
  }, [config]);
  return config;
}
