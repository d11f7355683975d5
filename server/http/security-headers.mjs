/**
 * Security headers on every response: Next.js adds them to pages and route
 * handlers (next.config.mjs `headers()`), the web server to the answers it
 * writes itself (/api/trpc, /api/placement/map, /api/health, /api/metrics).
 * One list for both.
 *
 * @param {boolean} isDev development mode (`next dev` needs eval for its client)
 * @returns {{ key: string, value: string }[]}
 */
export function securityHeaders(isDev) {
  return [
    {
      key: "Content-Security-Policy",
      value: [
        "default-src 'self'",
        `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
      ].join("; "),
    },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ];
}
