export const nodeArgs: string[];
export const env: Record<string, string>;
