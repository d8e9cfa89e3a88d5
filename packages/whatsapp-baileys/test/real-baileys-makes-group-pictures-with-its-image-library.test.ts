/*
 * Group pictures (`updateProfilePicture`) go through Baileys' own image code, which loads one of its optional
 * image libraries (`sharp` or `jimp`) at run time and fails without one. This package depends on jimp (pure
 * JavaScript, nothing to compile) so that Baileys finds it: real Baileys, offline, turns an image into a
 * profile picture. (Baileys' thumbnail code for image sends checks jimp's export with the wrong type and still
 * finds no library with jimp 1.x; images are then sent without a thumbnail, as before.)
 */
import { generateProfilePicture } from '@whiskeysockets/baileys';
import { Jimp } from 'jimp';
import { describe, expect, it } from 'vitest';

const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

async function aPng(width: number, height: number): Promise<Buffer> {
  const image = new Jimp({ width, height, color: 0x3366ccff });
  return image.getBuffer('image/png');
}

describe("real Baileys' image code", () => {
  it('makes a square JPEG profile picture (a group picture) out of a PNG', async () => {
    const { img } = await generateProfilePicture(await aPng(800, 600));
    expect(Buffer.from(img).subarray(0, 3)).toEqual(JPEG_MAGIC);
    const picture = await Jimp.read(Buffer.from(img));
    expect(picture.width).toBe(picture.height);
  });
});
