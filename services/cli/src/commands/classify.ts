import type { Command } from 'commander';

// Placeholder until the rules library lands (issue 3).
export function registerClassifyCommand(_program: Command): void {}
