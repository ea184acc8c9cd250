import { describe, expect, it } from "vitest";
import { match } from "./router";
import { ROUTES } from "./routes";

describe("match", () => {
  it("matches a static path exactly", () => {
    expect(match("/", "/")).toEqual({});
    expect(match("/login", "/login")).toEqual({});
    expect(match("/login", "/login/")).toEqual({});
    expect(match("/login", "/logout")).toBeNull();
    expect(match("/login", "/")).toBeNull();
  });

  it("reads the parameters, decoded", () => {
    expect(match("/applications/:id/steps/:step", "/applications/abc-1/steps/2")).toEqual({ id: "abc-1", step: "2" });
    expect(match("/verify/:code", "/verify/7F3K-9Q2M%20X4B8")).toEqual({ code: "7F3K-9Q2M X4B8" });
    expect(match("/activate/:kind", "/activate/visa")).toEqual({ kind: "visa" });
  });

  it("refuses a path of another length", () => {
    expect(match("/applications/:id", "/applications")).toBeNull();
    expect(match("/applications/:id", "/applications/1/review")).toBeNull();
    expect(match("/applications/:id/review", "/applications/1")).toBeNull();
  });

  it("refuses a static segment that differs", () => {
    expect(match("/applications/:id/review", "/applications/1/confirmation")).toBeNull();
  });

  it("refuses a parameter that is not valid percent-encoding", () => {
    expect(match("/verify/:code", "/verify/%E0%A4%A")).toBeNull();
  });
});

describe("ROUTES", () => {
  const first = (pathname: string) => ROUTES.find((r) => match(r.path, pathname));

  it("sends every address of the site to its page", () => {
    expect(first("/")?.name).toBe("home");
    expect(first("/verify")?.name).toBe("verify");
    expect(first("/verify/ABCD-EFGH-JKMN")?.name).toBe("verify");
    expect(first("/applications/x/steps/1")?.name).toBe("step");
    expect(first("/applications/x/review")?.name).toBe("review");
    expect(first("/applications/x")?.name).toBe("application");
    expect(first("/applications/x/complement")?.name).toBe("complement");
    expect(first("/nowhere")).toBeUndefined();
  });

  it("asks for a session on the account's pages only", () => {
    const open = ROUTES.filter((r) => !r.login).map((r) => r.path);
    expect(open).toEqual(["/", "/login", "/activate/:kind", "/verify-email", "/forgot-password", "/reset-password", "/verify", "/verify/:code"]);
  });

  it("declares each path once", () => {
    const paths = ROUTES.map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
