// Every page of the site, declared once: its address, whether it needs a
// session, and its module (loaded on demand: each page is its own chunk).
// Links in emails point at `/login`, `/verify-email`, `/reset-password` and
// `/notifications`, with `?lang=`.
import { lazy, type ComponentType, type LazyExoticComponent } from "react";

export type Route = {
  path: string;
  /** The chunk's name in the build report. */
  name: string;
  page: LazyExoticComponent<ComponentType>;
  login: boolean;
};

const route = (path: string, name: string, login: boolean, load: () => Promise<{ default: ComponentType }>): Route => ({
  path,
  name,
  login,
  page: lazy(load),
});

export const ROUTES: Route[] = [
  // Before login (F1–F3).
  route("/", "home", false, () => import("./pages/Home")),
  route("/login", "login", false, () => import("./pages/Login")),
  route("/activate/:kind", "activate", false, () => import("./pages/Activate")),
  route("/verify-email", "verify-email", false, () => import("./pages/VerifyEmail")),
  route("/forgot-password", "forgot-password", false, () => import("./pages/ForgotPassword")),
  route("/reset-password", "reset-password", false, () => import("./pages/ResetPassword")),
  // The public check of an issued document (B1), where QR codes point.
  route("/verify", "verify", false, () => import("./pages/Verify")),
  route("/verify/:code", "verify", false, () => import("./pages/Verify")),
  // The account (F4–F6).
  route("/account", "account", true, () => import("./pages/Account")),
  route("/profile", "profile", true, () => import("./pages/Profile")),
  route("/notifications", "notifications", true, () => import("./pages/Notifications")),
  // The six steps (F7–F13).
  route("/applications/:id/steps/:step", "step", true, () => import("./pages/steps/Step")),
  route("/applications/:id/review", "review", true, () => import("./pages/steps/Review")),
  route("/applications/:id/confirmation", "confirmation", true, () => import("./pages/steps/Confirmation")),
  // After submission (F19, F21, F22, B3–B5).
  route("/applications/:id", "application", true, () => import("./pages/after/Application")),
  route("/applications/:id/complement", "complement", true, () => import("./pages/after/Complement")),
  route("/applications/:id/messages", "messages", true, () => import("./pages/after/Messages")),
];
