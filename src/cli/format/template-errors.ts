/**
 * Errors of the `--format` template engine. Messages are Go's own, e.g.
 * `template: :1: unclosed action` or
 * `template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"`.
 * docker/cli prefixes both with `template parsing error: ` (formatter and
 * inspect alike) and exits 1; that wording belongs to the CLI's error printer.
 */
import { InvalidParameterError } from '../../util/errors.ts';

/** The template text is malformed. */
export class TemplateParseError extends InvalidParameterError {}

/** Executing a well-formed template on the given data failed. */
export class TemplateExecError extends InvalidParameterError {}
