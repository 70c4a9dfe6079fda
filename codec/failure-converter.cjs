// Error messages and stack traces go into an encoded payload (so the codec encrypts them: a
// refusal can quote a note) instead of plain fields of the failure. Plain CommonJS because both
// the workflow bundler and the SDK's `require` load it by path (see codec/data-converter.ts).
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
