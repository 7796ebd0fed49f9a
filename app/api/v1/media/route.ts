import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";
import { readMediaForm } from "@/lib/media/read-media-form";
import { uploadMedia } from "@/lib/media/upload-media";

// A 100 MB document needs time to arrive and to reach Meta.
export const maxDuration = 300;

// POST /api/v1/media – upload a file (multipart: connectionId, file) to Meta for a number; answers the media id a send can name
export const POST = withSession(async ({ request, db, log }) => {
  const form = await readMediaForm(request);
  return ok({ data: await uploadMedia(db, form, log) }, { status: 201 });
});
