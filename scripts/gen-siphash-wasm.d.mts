/** The generated TypeScript source for the module assembled from the WAT text `wat`. */
export function generate(wat: string): Promise<string>
