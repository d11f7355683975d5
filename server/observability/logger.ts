import pino from "pino";

/**
 * Structured JSON logs on stdout. Secrets are redacted by path so that a
 * careless log line cannot leak a password, token or credential.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "statehouse" },
  redact: {
    paths: [
      "password",
      "*.password",
      "token",
      "*.token",
      "credential",
      "*.credential",
      "authorization",
      "*.authorization",
      "headers.cookie",
      "*.headers.cookie",
    ],
    censor: "[redacted]",
  },
});
