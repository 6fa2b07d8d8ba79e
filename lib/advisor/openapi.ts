// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate
// with (OpenAPI 3.1 schemas are JSON Schema 2020-12, which z.toJSONSchema writes).
import { z } from 'zod';
import { decisionRequestSchema, decisionResponseSchema, problemSchema } from './api-schema';
import { MAX_BODY_BYTES, MAX_MESSAGES } from './settings';

function schema(s: z.ZodType, io: 'input' | 'output') {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

export function openApiDocument(serverUrl?: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Exit Advisor Studio API',
      version: '1.0.0',
      description:
        'Machine-to-machine endpoints. Every request needs an API key (an admin creates one under Admin → API keys, or with `npm run apikey -- create --name <name>`) sent as `Authorization: Bearer <key>`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ apiKey: [] }],
    paths: {
      '/api/v1/advisor/decisions': {
        post: {
          operationId: 'decide',
          summary: "Decide the recruiter's next turn: END, CONTINUE or SCHEDULE",
          description: `Send the conversation so far (the import format; labels are ignored). The advisor decides the recruiter's next turn after the last message. Follow the decision only when \`acted\` is true (confidence ≥ threshold). When the model does not answer in time or fails, the answer is still 200, with \`decision: null\`, \`acted: false\` and \`reason: "advisor_unavailable"\`. At most ${MAX_MESSAGES} messages and ${MAX_BODY_BYTES.toLocaleString('en-US')} bytes. The conversation is stored (by external_id) for labeling in the Studio.`,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DecisionRequest' } } } },
          responses: {
            '200': {
              description: 'The decision (or the fallback).',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/DecisionResponse' } } },
            },
            '400': problem('Malformed JSON, or a body that breaks the import format (`errors` names each JSON path).'),
            '401': problem('No key, an unknown key or a revoked key.'),
            '409': problem('No advisor is promoted yet, or the conversation belongs to the golden set.'),
            '413': problem(`More than ${MAX_MESSAGES} messages or ${MAX_BODY_BYTES.toLocaleString('en-US')} bytes.`),
            '429': {
              ...problem('The key is over its rate; `Retry-After` says when to try again.'),
              headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds' } },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: eas_<prefix>_<secret>' } },
      schemas: {
        DecisionRequest: schema(decisionRequestSchema, 'input'),
        DecisionResponse: schema(decisionResponseSchema, 'output'),
        Problem: schema(problemSchema, 'output'),
      },
    },
  };
}
