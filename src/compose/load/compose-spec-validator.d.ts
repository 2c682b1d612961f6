/** Types of the generated ajv standalone validator (scripts/gen-compose-validator.mjs). */
import type { ErrorObject } from 'ajv';

export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
export declare const validate: GeneratedValidator;
export default validate;
