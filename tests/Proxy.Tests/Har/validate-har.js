// Validates a HAR file against the HAR 1.2 JSON schema with npm's har-validator (the check the issue names).
// Usage: node validate-har.js FILE. Prints "valid" and exits 0, or prints each schema error and exits 1.
'use strict';
const fs = require('fs');
const path = require('path');
// Resolve from the checkout's node_modules whatever the working directory.
const validator = require(require.resolve('har-validator', { paths: [path.resolve(__dirname, '..', '..', '..')] }));

const file = process.argv[2];
let har;
try {
  har = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (e) {
  console.log(`${file}: not JSON: ${e.message}`);
  process.exit(2);
}
validator.har(har).then(
  () => { console.log('valid'); process.exit(0); },
  (e) => {
    for (const err of e.errors || [e]) {
      console.log(`${err.dataPath || err.instancePath || '(root)'}: ${err.message}${err.params ? ' ' + JSON.stringify(err.params) : ''}`);
    }
    process.exit(1);
  });
