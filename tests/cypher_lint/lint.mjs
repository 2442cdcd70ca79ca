// Lints Cypher with Neo4j's own parser and semantic analysis.
// stdin: {"schema": DbSchema, "statements": [{"name": str, "text": str}]}
// stdout: [{"name": str, "diagnostics": [{"severity": 1|2, "message": str, "line": int}]}]
import { lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { schema, statements } = JSON.parse(input);
const out = statements.map(({ name, text }) => ({
  name,
  diagnostics: lintCypherQuery(text, schema).diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    line: d.range.start.line + 1,
  })),
}));
process.stdout.write(JSON.stringify(out));
