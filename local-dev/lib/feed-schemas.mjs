// The repository's JSON Schemas (schemas/), compiled by a standard 2020-12 validator (ajv) for the local tools:
// the sample-feed checker and the department simulators judge feeds by the same files the hub embeds.
//
//   import { feedSchemas } from '../lib/feed-schemas.mjs';
//   const schemas = feedSchemas();
//   schemas.validate(feed)  // [{ instanceLocation, keyword }], [] when the feed meets its schema

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const SCHEMAS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');
export const SOURCES = ['statistics', 'power-grid', 'transport', 'environment'];

function schemaFiles(dir) {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory()
        ? schemaFiles(join(dir, e.name))
        : e.name.endsWith('.schema.json') ? [join(dir, e.name)] : []);
}

/** Every schema of schemas/ by its $id; the feed schemas by source and version. */
export function feedSchemas(root = SCHEMAS) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const versions = new Map(SOURCES.map((s) => [s, []]));
    const ids = new Map();
    for (const file of schemaFiles(root)) {
        const schema = JSON.parse(readFileSync(file, 'utf8'));
        ajv.addSchema(schema);
        const m = /\/feeds\/([a-z-]+)\/(\d+\.\d+)$/.exec(schema.$id);
        if (m && versions.has(m[1])) {
            versions.get(m[1]).push(m[2]);
            ids.set(`${m[1]}/${m[2]}`, schema.$id);
        }
    }
    for (const list of versions.values()) list.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const idOf = (source, version) => ids.get(`${source}/${version}`);

    /** The schema a feed is judged by, as the hub picks it: its source's, at the version it declares, else the latest. */
    function schemaFor(feed) {
        const source = SOURCES.includes(feed.source) ? feed.source : null;
        if (!source) return null;
        const version = typeof feed.schemaVersion === 'string' ? feed.schemaVersion : versions.get(source).at(-1);
        return versions.get(source).includes(version) ? { source, version, check: ajv.getSchema(idOf(source, version)) } : { source, version, check: null };
    }

    /**
     * The schema's errors in the hub's form: the JSON Pointer of the failing value and the keyword. As the hub
     * (JsonSchema.Net) reports them, an unknown property is at its own location, the rest at the checked value.
     */
    function validate(feed) {
        const chosen = schemaFor(feed);
        if (chosen === null) {
            return [{ instanceLocation: feed.source === undefined ? '' : '/source', keyword: feed.source === undefined ? 'required' : 'enum' }];
        }
        if (chosen.check === null) return [{ instanceLocation: '/schemaVersion', keyword: 'rule:schema-version-known' }];
        if (chosen.check(feed)) return [];
        return chosen.check.errors.map((e) => ({
            instanceLocation: e.keyword === 'additionalProperties' ? `${e.instancePath}/${escapePointer(e.params.additionalProperty)}` : e.instancePath,
            keyword: e.keyword,
        }));
    }

    return { ajv, versions, schemaFor, validate, idOf };
}

const escapePointer = (key) => key.replace(/~/g, '~0').replace(/\//g, '~1');
