/** An error of the word lexer, before `expandWord` adds Docker's `failed to process "…"` around it. */
export class LexError extends Error {}
