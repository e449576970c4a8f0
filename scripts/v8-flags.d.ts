export function v8FlagsFor(command: string | undefined): string[];
export function setV8Flags(command: string | undefined): void;
