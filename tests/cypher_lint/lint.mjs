// Lints Cypher with Neo4j's own parser and semantic analysis, in one process for many statements.
// stdin:  {"schema": DbSchema, "statements": [{"name": str, "text": str, "parameters": {...}}]}
//         (each statement is linted with the schema plus its own parameters)
// stdout: [{"name": str, "diagnostics": [{"severity": 1 (error) | 2 (warning), "message": str, "line": int}]}]
import { lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { schema, statements } = JSON.parse(input);
const out = statements.map(({ name, text, parameters }) => ({
  name,
  diagnostics: lintCypherQuery(text, { ...schema, parameters: parameters ?? {} }).diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    line: d.range.start.line + 1,
  })),
}));
process.stdout.write(JSON.stringify(out));
