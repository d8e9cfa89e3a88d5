/*
 * Pairing on the wire: the QR and pairing-code responses and the body that asks for a code. The HTTP edge
 * validates and documents with these schemas.
 */
import * as v from 'valibot';

export const QrJson = v.object({
  qr: v.pipe(v.string(), v.description('The raw QR payload, to render yourself.')),
  png_data_url: v.pipe(v.string(), v.description('The QR as a PNG data URL (`data:image/png;base64,...`), ready for an <img>.')),
});

export type QrJson = v.InferInput<typeof QrJson>;

export const PairCodeBody = v.strictObject({
  phone_number: v.pipe(
    v.string(),
    v.regex(/^[1-9]\d{7,14}$/, 'Expected 8 to 15 digits with the country code, without +.'),
    v.description('The number of the phone that will type the code: country code and number, digits only.'),
    v.metadata({ example: '4915112345678' }),
  ),
});

export const PairCodeJson = v.object({
  code: v.pipe(v.string(), v.description('8 characters to type on the phone (WhatsApp → Linked devices → Link with phone number).')),
});
