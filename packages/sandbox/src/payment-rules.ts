import type { SandboxApp } from './model.js';

/** The test numbers of CONTRACT §4. */
export const APPROVING_NUMBER = '0780000001';
export const DECLINING_NUMBER = '0780000002';

/** The provider's troubleshooting hint, shown with "Phone number not found". */
export const PHONE_NOT_FOUND_HINT =
  'Unverified accounts can only use up to 3 phone numbers. Register the phone number under ' +
  'Approved Numbers in your dashboard, or verify your account to unlock all numbers.';

/** `+250 780 000 001`, `250780000001` and `0780000001` are the same Rwandan number. */
export function normalisePhone(raw: string): string {
  const digits = raw.replace(/[\s-]/g, '').replace(/^\+/, '');
  return digits.startsWith('250') && digits.length === 12 ? `0${digits.slice(3)}` : digits;
}

/** What paying from `phone` comes to for `app`. */
export type PaymentDecision = 'success' | 'cancelled' | 'phone_number_not_found';

/**
 * The provider's rules: an unverified app is paid only from its approved numbers (at most
 * 3); the declining test number ends the session cancelled; any other allowed number pays.
 */
export function decidePayment(app: SandboxApp, rawPhone: string): PaymentDecision {
  const phone = normalisePhone(rawPhone);
  if (!app.verified && !app.approved_numbers.map(normalisePhone).includes(phone))
    return 'phone_number_not_found';
  return phone === DECLINING_NUMBER ? 'cancelled' : 'success';
}
