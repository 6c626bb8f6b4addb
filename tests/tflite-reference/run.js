// Runs a .tflite model with TensorFlow Lite's interpreter (the WASM build shipped in @tensorflow/tfjs-tflite).
//   node run.js <model.tflite> <input.bin>...
// Each input file holds the raw bytes of input tensor 0; for each one a line with output tensor 0's values
// (space-separated, as the tensor's element type) is printed. A model TFLite refuses prints "REFUSED <reason>"
// and exits with 1. Used by tests/Edge.Micro.Training.Tests/TfLiteReferenceTests.cs.
'use strict';
const fs = require('fs');
const path = require('path');

const wasmDir = path.join(__dirname, 'node_modules', '@tensorflow', 'tfjs-tflite', 'wasm');
const factory = require(path.join(wasmDir, 'tflite_web_api_cc.js'));

async function main() {
  const [modelPath, ...inputs] = process.argv.slice(2);
  if (!modelPath) {
    console.error('usage: node run.js <model.tflite> <input.bin>...');
    process.exit(2);
  }
  const module = await factory({
    wasmBinary: fs.readFileSync(path.join(wasmDir, 'tflite_web_api_cc.wasm')),
    locateFile: (file) => path.join(wasmDir, file),
    printErr: () => {},
  });
  const model = new Uint8Array(fs.readFileSync(modelPath));
  const address = module._malloc(model.length);
  module.HEAPU8.set(model, address);
  const created = module.TFLiteWebModelRunner.CreateFromBufferAndOptions(address, model.length,
    { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
  if (!created.ok()) {
    console.log('REFUSED ' + created.errorMessage());
    process.exit(1);
  }
  const runner = created.value();
  for (const inputPath of inputs) {
    const input = runner.GetInputs().get(0).data();
    const bytes = new Uint8Array(fs.readFileSync(inputPath));
    new Uint8Array(input.buffer, input.byteOffset, input.byteLength).set(bytes.subarray(0, input.byteLength));
    if (!runner.Infer()) {
      console.log('INFER FAILED');
      process.exit(1);
    }
    console.log(Array.from(runner.GetOutputs().get(0).data()).join(' '));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
