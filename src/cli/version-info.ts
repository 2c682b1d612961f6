/** Berth's CLI version (the client part of `berth version`). */
export const VERSION = '0.1.0';
