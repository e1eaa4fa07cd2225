export function renderUsage(): string;
export function updateReadme(text: string): string;
