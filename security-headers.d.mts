export function contentSecurityPolicy(options?: { dev?: boolean; nonce?: string }): string;
export function newNonce(): string;
export const PERMISSIONS_POLICY: string;
export function securityHeaders(options?: { dev?: boolean; nonce?: string }): Record<string, string>;
