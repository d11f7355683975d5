export declare function securityHeaders(isDev: boolean): { key: string; value: string }[];
