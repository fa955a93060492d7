// The API's error vocabulary: every refusal the emulator makes goes through ApiError so the body is
// always `{type: 'error', error: {type, message}, request_id}` with the status the real API uses.

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error';

export const STATUS_OF_ERROR_TYPE: Record<ErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  timeout_error: 504,
  api_error: 500,
  overloaded_error: 529,
};

export class ApiError extends Error {
  readonly status: number;
  readonly type: ErrorType | string;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(
    type: ErrorType | string,
    message: string,
    options: { status?: number; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.type = type;
    this.status = options.status ?? STATUS_OF_ERROR_TYPE[type as ErrorType] ?? 500;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export function invalidRequest(message: string): ApiError {
  return new ApiError('invalid_request_error', message);
}

export function notFound(message: string): ApiError {
  return new ApiError('not_found_error', message);
}

export function errorBody(
  type: string,
  message: string,
  requestId: string,
  details?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    type: 'error',
    error: { type, message, ...(details ? { details } : {}) },
    request_id: requestId,
  };
}
