/**
 * What a batch makes from each decoded photo besides its result, while the pixels are still in memory
 * (in the worker thread that checked it): the annotated PNG for --annotate, and the thumbnail and
 * overlay of the HTML report. The batch floor does not import this module; the CLI hands its URL to the
 * batch (CheckSetup.photoOutputs), which loads it in each thread.
 */
import type { FileResult, Photo, PhotoOutputs, PhotoPictures } from '../contract/types.js';
import { sharp } from '../formats/sharp.js';
import { profiles, type Profile } from '../profiles/index.js';
import { renderAnnotation, writeAnnotationAs } from './annotate.js';

async function dataUri(png: Buffer, width: number): Promise<string> {
  const jpeg = await sharp(png).resize({ width }).jpeg({ quality: 72 }).toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

const photoOutputs: PhotoOutputs = async (photo: Photo, result: FileResult, wanted) => {
  const profile = (wanted.profile as Profile | undefined) ?? profiles.get(wanted.profileId);
  if (!profile) throw new Error(`unknown profile ${wanted.profileId}`);
  const overlay = await renderAnnotation(photo, result, profile, wanted.lang);
  if (wanted.annotateDir && wanted.annotationName) await writeAnnotationAs(wanted.annotateDir, wanted.annotationName, overlay);
  if (!wanted.pictures) return {};
  const plain = await sharp(photo.pixels.data, { raw: { width: photo.pixels.width, height: photo.pixels.height, channels: 3 } }).png().toBuffer();
  const pictures: PhotoPictures = { thumbnail: await dataUri(plain, 120), overlay: await dataUri(overlay, 240) };
  return { pictures };
};

export default photoOutputs;
