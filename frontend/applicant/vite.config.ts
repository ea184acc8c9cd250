import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The applicant site: static files served at `/`, the API on the same origin
// under `/api` (the local server, or CloudFront in front of API Gateway).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    // Every route is its own chunk (src/routes.tsx); the build report sums them.
    manifest: true,
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a `sejour serve` on 8080.
    proxy: { "/api": "http://127.0.0.1:8080", "/storage": "http://127.0.0.1:8080", "/mailbox": "http://127.0.0.1:8080" },
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
