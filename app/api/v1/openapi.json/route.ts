import { withRequestId } from "@/lib/http/request-id";
import { buildOpenApiDocument } from "@/lib/openapi/build-openapi-document";

// GET /api/v1/openapi.json – the API's OpenAPI 3.1 document, generated from the routes' zod schemas
export const GET = withRequestId((request) => Response.json(buildOpenApiDocument(new URL(request.url).origin)));
