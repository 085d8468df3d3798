export function contentSecurityPolicy(options?: { dev?: boolean }): string;
export const PERMISSIONS_POLICY: string;
export function securityHeaders(options?: { dev?: boolean }): Record<string, string>;
